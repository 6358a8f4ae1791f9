package io.github.rpcdiscovery.grpc.balancer;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.rpcdiscovery.balancer.Balancer;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Status;

/** The pickers {@link P2cEwmaLoadBalancer} hands the channel, one per state. */
final class Pickers {

	private Pickers() {
	}

	/**
	 * READY: power of two choices among the ready subchannels. The list is immutable and the same object for every
	 * pick of this picker, so the balancer maps it to its nodes once, and a pick allocates only its result.
	 */
	static final class P2c extends SubchannelPicker {

		private final List<ReadyNode> ready;

		private final Balancer<ReadyNode> balancer;

		P2c(List<ReadyNode> ready, Balancer<ReadyNode> balancer) {
			this.ready = ready;
			this.balancer = balancer;
		}

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			String hint = RouteHint.of(args);
			ReadyNode node = this.balancer.pick(this.ready, hint);
			if (node != null) {
				return PickResult.withSubchannel(node.subchannel(), node.tracer());
			}
			// the ready list is never empty: a hint selected no available instance (rpc.balancer.subset.fallback=fail)
			return (hint != null) ? PickResult.withError(Status.UNAVAILABLE
				.withDescription("no available instance matches the route hint '" + hint + "'"))
					: PickResult.withNoResult();
		}

		List<ReadyNode> ready() {
			return this.ready;
		}

		@Override
		public String toString() {
			return "P2c" + this.ready.stream().map(ReadyNode::nodeId).toList();
		}

	}

	/** CONNECTING: calls wait for a subchannel to connect. */
	static final class Waiting extends SubchannelPicker {

		static final Waiting INSTANCE = new Waiting();

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			return PickResult.withNoResult();
		}

	}

	/**
	 * Another picker that, on its first pick, asks the idle subchannels to connect: a subchannel closed for idleness
	 * reconnects when calls come again, not before.
	 */
	static final class ConnectOnFirstPick extends SubchannelPicker {

		private final SubchannelPicker delegate;

		private final Runnable connect;

		private final AtomicBoolean asked = new AtomicBoolean();

		ConnectOnFirstPick(SubchannelPicker delegate, Runnable connect) {
			this.delegate = delegate;
			this.connect = connect;
		}

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			if (this.asked.compareAndSet(false, true)) {
				this.connect.run();
			}
			return this.delegate.pickSubchannel(args);
		}

		SubchannelPicker delegate() {
			return this.delegate;
		}

		@Override
		public String toString() {
			return this.delegate + " (connecting idle subchannels on the first pick)";
		}

	}

	/** TRANSIENT_FAILURE: calls fail with the last connection failure (wait-for-ready calls wait). */
	static final class Failing extends SubchannelPicker {

		private final Status status;

		Failing(Status status) {
			this.status = status;
		}

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			return PickResult.withError(this.status);
		}

		Status status() {
			return this.status;
		}

	}

}

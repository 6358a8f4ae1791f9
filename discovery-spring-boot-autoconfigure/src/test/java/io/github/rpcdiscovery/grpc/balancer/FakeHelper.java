package io.github.rpcdiscovery.grpc.balancer;

import java.util.ArrayList;
import java.util.List;

import io.grpc.Attributes;
import io.grpc.ChannelLogger;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.SynchronizationContext;

/** A channel as a load balancer sees it: records subchannels and published states, connects when told. */
final class FakeHelper extends LoadBalancer.Helper {

	final List<FakeSubchannel> subchannels = new ArrayList<>();

	final List<ConnectivityState> states = new ArrayList<>();

	LoadBalancer.SubchannelPicker picker;

	int refreshes;

	private final SynchronizationContext syncContext = new SynchronizationContext((thread, failure) -> {
		throw new AssertionError(failure);
	});

	@Override
	public LoadBalancer.Subchannel createSubchannel(LoadBalancer.CreateSubchannelArgs args) {
		FakeSubchannel subchannel = new FakeSubchannel(args.getAddresses());
		this.subchannels.add(subchannel);
		return subchannel;
	}

	@Override
	public void updateBalancingState(ConnectivityState state, LoadBalancer.SubchannelPicker picker) {
		this.states.add(state);
		this.picker = picker;
	}

	@Override
	public void refreshNameResolution() {
		this.refreshes++;
	}

	@Override
	public ManagedChannel createOobChannel(EquivalentAddressGroup group, String authority) {
		throw new UnsupportedOperationException();
	}

	@Override
	public String getAuthority() {
		return "orders";
	}

	@Override
	public SynchronizationContext getSynchronizationContext() {
		return this.syncContext;
	}

	@Override
	public ChannelLogger getChannelLogger() {
		return new ChannelLogger() {

			@Override
			public void log(ChannelLogLevel level, String message) {
			}

			@Override
			public void log(ChannelLogLevel level, String messageFormat, Object... args) {
			}

		};
	}

	ConnectivityState state() {
		return this.states.get(this.states.size() - 1);
	}

	FakeSubchannel subchannel(String nodeId) {
		return this.subchannels.stream()
			.filter((subchannel) -> P2cEwmaLoadBalancer.nodeId(subchannel.getAddresses()).equals(nodeId))
			.reduce((first, second) -> second)
			.orElseThrow();
	}

	static final class FakeSubchannel extends LoadBalancer.Subchannel {

		private List<EquivalentAddressGroup> addresses;

		private LoadBalancer.SubchannelStateListener listener;

		int connectionRequests;

		boolean shutdown;

		FakeSubchannel(List<EquivalentAddressGroup> addresses) {
			this.addresses = addresses;
		}

		@Override
		public void start(LoadBalancer.SubchannelStateListener listener) {
			this.listener = listener;
		}

		@Override
		public void shutdown() {
			this.shutdown = true;
		}

		@Override
		public void requestConnection() {
			this.connectionRequests++;
		}

		@Override
		public List<EquivalentAddressGroup> getAllAddresses() {
			return this.addresses;
		}

		@Override
		public void updateAddresses(List<EquivalentAddressGroup> addresses) {
			this.addresses = addresses;
		}

		@Override
		public Attributes getAttributes() {
			return Attributes.EMPTY;
		}

		void moveTo(ConnectivityState state) {
			this.listener.onSubchannelState(ConnectivityStateInfo.forNonError(state));
		}

		void fail(Status status) {
			this.listener.onSubchannelState(ConnectivityStateInfo.forTransientFailure(status));
		}

	}

}

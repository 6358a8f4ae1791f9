package io.github.rpcdiscovery.bench.grpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import io.grpc.ConnectivityState;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.util.ForwardingLoadBalancerHelper;
import io.grpc.util.ForwardingSubchannel;

/**
 * A load-balancing policy that is another policy ({@code p2c_ewma}) watched from outside: every time the balancer hands
 * the channel a new picker, the probe tells a listener which addresses that picker can choose (its READY, not shut
 * down subchannels) and when. It changes nothing, so what it sees is the moment calls start (or stop) going to a
 * server.
 */
final class PickerProbe extends LoadBalancerProvider {

	static final String POLICY = "bench_picker_probe";

	private final String delegatePolicy;

	private final BiConsumer<Set<String>, Long> onPicker;

	/**
	 * @param delegatePolicy the policy watched
	 * @param onPicker called in the channel's synchronization context with the addresses ({@code host:port}) the new
	 * picker can choose and {@link System#nanoTime()} when it was handed over
	 */
	PickerProbe(String delegatePolicy, BiConsumer<Set<String>, Long> onPicker) {
		this.delegatePolicy = delegatePolicy;
		this.onPicker = onPicker;
	}

	static PickerProbe register(String delegatePolicy, BiConsumer<Set<String>, Long> onPicker) {
		PickerProbe probe = new PickerProbe(delegatePolicy, onPicker);
		LoadBalancerRegistry.getDefaultRegistry().register(probe);
		return probe;
	}

	@Override
	public boolean isAvailable() {
		return true;
	}

	@Override
	public int getPriority() {
		return 5;
	}

	@Override
	public String getPolicyName() {
		return POLICY;
	}

	@Override
	public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
		return LoadBalancerRegistry.getDefaultRegistry()
			.getProvider(this.delegatePolicy)
			.parseLoadBalancingPolicyConfig(rawConfig);
	}

	@Override
	public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
		return LoadBalancerRegistry.getDefaultRegistry()
			.getProvider(this.delegatePolicy)
			.newLoadBalancer(new ProbeHelper(helper));
	}

	private final class ProbeHelper extends ForwardingLoadBalancerHelper {

		private final LoadBalancer.Helper delegate;

		private final Map<LoadBalancer.Subchannel, ConnectivityState> states = new ConcurrentHashMap<>();

		ProbeHelper(LoadBalancer.Helper delegate) {
			this.delegate = delegate;
		}

		@Override
		protected LoadBalancer.Helper delegate() {
			return this.delegate;
		}

		@Override
		public LoadBalancer.Subchannel createSubchannel(LoadBalancer.CreateSubchannelArgs args) {
			LoadBalancer.Subchannel real = super.createSubchannel(args);
			return new ForwardingSubchannel() {

				@Override
				protected LoadBalancer.Subchannel delegate() {
					return real;
				}

				@Override
				public void start(LoadBalancer.SubchannelStateListener listener) {
					LoadBalancer.Subchannel self = this;
					super.start((info) -> {
						ProbeHelper.this.states.put(self, info.getState());
						listener.onSubchannelState(info);
					});
				}

				@Override
				public void shutdown() {
					ProbeHelper.this.states.remove(this);
					super.shutdown();
				}

			};
		}

		@Override
		public void updateBalancingState(ConnectivityState state, LoadBalancer.SubchannelPicker picker) {
			Set<String> ready = new TreeSet<>();
			this.states.forEach((subchannel, subchannelState) -> {
				if (subchannelState == ConnectivityState.READY) {
					for (SocketAddress address : subchannel.getAddresses().getAddresses()) {
						InetSocketAddress inet = (InetSocketAddress) address;
						ready.add(inet.getAddress().getHostAddress() + ":" + inet.getPort());
					}
				}
			});
			PickerProbe.this.onPicker.accept(ready, System.nanoTime());
			super.updateBalancingState(state, picker);
		}

	}

}

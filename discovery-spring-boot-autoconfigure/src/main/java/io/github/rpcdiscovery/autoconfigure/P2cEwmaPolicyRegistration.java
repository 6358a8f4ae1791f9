package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.RoutingSettings;
import io.github.rpcdiscovery.grpc.balancer.P2cEwmaLoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;

/**
 * While the application runs, channels that name {@code p2c_ewma} get the application's {@link BalancerSettings}:
 * grpc-java takes a policy's provider of the highest priority, and the service-loaded one (go-zero's constants) has
 * a lower one. Closing removes it again, so the service-loaded provider serves any later channel. grpc-java's registry
 * is global: with several application contexts in one JVM at once, the first one's settings serve them all.
 */
final class P2cEwmaPolicyRegistration implements AutoCloseable {

	/** Above the service-loaded provider's 5 (grpc-java's own policies use 5 as well). */
	static final int PRIORITY = 6;

	private final LoadBalancerRegistry registry;

	private final P2cEwmaLoadBalancerProvider provider;

	P2cEwmaPolicyRegistration(LoadBalancerRegistry registry, BalancerSettings settings) {
		this(registry, settings, RoutingSettings.Source.of(RoutingSettings.defaults()));
	}

	P2cEwmaPolicyRegistration(LoadBalancerRegistry registry, BalancerSettings settings,
			RoutingSettings.Source routing) {
		this.registry = registry;
		this.provider = new P2cEwmaLoadBalancerProvider(settings, routing, PRIORITY);
		registry.register(this.provider);
	}

	@Override
	public void close() {
		this.registry.deregister(this.provider);
	}

}

package io.github.rpcdiscovery.autoconfigure;

/** The package-private auto-configurations, for tests in other packages. */
public final class RpcBalancerAutoConfigurationAccess {

	private RpcBalancerAutoConfigurationAccess() {
	}

	/** Discovery, the LoadBalancer client configuration and the balancers. */
	public static Class<?>[] autoConfigurations() {
		return new Class<?>[] { RpcDiscoveryAutoConfiguration.class, RpcLoadBalancerAutoConfiguration.class,
				RpcBalancerAutoConfiguration.class };
	}

	public static Class<?> reactiveDiscovery() {
		return RpcReactiveDiscoveryClientAutoConfiguration.class;
	}

}

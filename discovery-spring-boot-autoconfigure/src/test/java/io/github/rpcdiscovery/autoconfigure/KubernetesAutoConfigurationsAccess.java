package io.github.rpcdiscovery.autoconfigure;

/** The package-private auto-configurations of Kubernetes mode, for tests in other packages. */
public final class KubernetesAutoConfigurationsAccess {

	/** Kubernetes discovery, the discovery plan and Spring Cloud's DiscoveryClient. */
	public static final Class<?>[] ALL = { KubernetesDiscoveryAutoConfiguration.class,
			RpcDiscoveryAutoConfiguration.class, RpcDiscoveryClientAutoConfiguration.class };

	private KubernetesAutoConfigurationsAccess() {
	}

}

package io.github.rpcdiscovery.cloud;

import java.util.List;

import io.github.rpcdiscovery.core.ServiceDiscovery;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Spring Cloud's blocking {@link DiscoveryClient} over the catalog. {@link #getInstances} reads memory; only the first
 * lookup of a service that is not configured waits (bounded) for its first load.
 */
public final class RpcDiscoveryClient implements DiscoveryClient {

	static final String DESCRIPTION = "rpc-discovery: go-zero style static endpoints, etcd and Kubernetes";

	private final ServiceDiscovery discovery;

	private final int order;

	public RpcDiscoveryClient(ServiceDiscovery discovery, int order) {
		this.discovery = discovery;
		this.order = order;
	}

	@Override
	public String description() {
		return DESCRIPTION;
	}

	@Override
	public List<ServiceInstance> getInstances(String serviceId) {
		return SpringCloudInstances.of(this.discovery.lookUp(serviceId));
	}

	/**
	 * Every service the registries hold that resolves here, not only the ids looked up
	 * ({@link ServiceDiscovery#services()}); the first call waits, bounded, for the registries' first listing.
	 */
	@Override
	public List<String> getServices() {
		return List.copyOf(this.discovery.services());
	}

	/** Nothing to probe: reads never touch the network; registry health is reported per source. */
	@Override
	public void probe() {
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}

package io.github.rpcdiscovery.cloud;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

/**
 * Spring Cloud's {@link ReactiveDiscoveryClient} over the catalog. A first lookup waits for the first load without
 * blocking a thread.
 */
public final class RpcReactiveDiscoveryClient implements ReactiveDiscoveryClient {

	private final ServiceDiscovery discovery;

	private final int order;

	public RpcReactiveDiscoveryClient(ServiceDiscovery discovery, int order) {
		this.discovery = discovery;
		this.order = order;
	}

	@Override
	public String description() {
		return RpcDiscoveryClient.DESCRIPTION;
	}

	@Override
	public Flux<ServiceInstance> getInstances(String serviceId) {
		return Mono.fromFuture(() -> this.discovery.whenLoaded(serviceId))
			.flatMapIterable(SpringCloudInstances::of);
	}

	@Override
	public Flux<String> getServices() {
		// every service the registries hold; the first call waits for their first listing without blocking a thread
		return Mono.fromFuture(this.discovery::whenServicesListed).flatMapIterable((ids) -> ids);
	}

	@Override
	public Mono<Void> reactiveProbe() {
		return Mono.empty();
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}

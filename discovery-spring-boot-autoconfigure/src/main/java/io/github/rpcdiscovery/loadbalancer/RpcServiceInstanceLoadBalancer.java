package io.github.rpcdiscovery.loadbalancer;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.NoopServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.SelectedInstanceCallback;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Spring Cloud LoadBalancer's view of a {@link ServiceBalancer}: takes the instance list from the supplier chain (with
 * the request, so retry-aware and hint-based decorators see it) and lets the service's policy pick.
 */
public final class RpcServiceInstanceLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private final ObjectProvider<ServiceInstanceListSupplier> suppliers;

	private final ServiceBalancer balancer;

	private final String hintHeaderName;

	public RpcServiceInstanceLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> suppliers,
			ServiceBalancer balancer) {
		this(suppliers, balancer, "X-SC-LB-Hint");
	}

	/** @param hintHeaderName the request header that carries a call's subset hint ({@link RequestHint}) */
	public RpcServiceInstanceLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> suppliers,
			ServiceBalancer balancer, String hintHeaderName) {
		this.suppliers = suppliers;
		this.balancer = balancer;
		this.hintHeaderName = hintHeaderName;
	}

	public ServiceBalancer balancer() {
		return this.balancer;
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<Response<ServiceInstance>> choose(Request request) {
		ServiceInstanceListSupplier supplier = this.suppliers.getIfAvailable(NoopServiceInstanceListSupplier::new);
		String hint = RequestHint.of(request, this.hintHeaderName);
		return supplier.get(request).next().map((instances) -> respond(supplier, instances, hint));
	}

	private Response<ServiceInstance> respond(ServiceInstanceListSupplier supplier, List<ServiceInstance> instances,
			@Nullable String hint) {
		ServiceInstance chosen = this.balancer.pick(instances, hint);
		if (chosen == null) {
			// the catalog logged the list change that emptied it; a line per call would flood
			return new EmptyResponse();
		}
		if (supplier instanceof SelectedInstanceCallback callback) {
			callback.selectedServiceInstance(chosen);
		}
		return new DefaultResponse(chosen);
	}

}

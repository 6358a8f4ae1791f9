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
import org.springframework.cloud.client.loadbalancer.RetryableRequestContext;
import org.springframework.cloud.loadbalancer.core.NoopServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RetryAwareServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.SelectedInstanceCallback;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Spring Cloud LoadBalancer's view of a {@link ServiceBalancer}: takes the instance list from the supplier chain (with
 * the request, so retry-aware and hint-based decorators see it) and lets the service's policy pick.
 * <p>
 * Fast path: when the chain is the catalog alone, or the catalog behind Spring Cloud's retry-aware wrapper on a
 * first attempt (the wrapper passes such a request through untouched), the pick reads the catalog's current list and
 * returns a ready {@code Mono} ({@link CurrentInstances}): no subscription and no allocation. Any other decorator, a
 * retry that must avoid the previous instance, or a list not loaded yet take the reactive chain.
 */
public final class RpcServiceInstanceLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private static final Response<ServiceInstance> NO_INSTANCE_RESPONSE = new EmptyResponse();

	private static final Mono<Response<ServiceInstance>> NO_INSTANCE = Mono.just(NO_INSTANCE_RESPONSE);

	private final ObjectProvider<ServiceInstanceListSupplier> suppliers;

	private final ServiceBalancer balancer;

	private final String hintHeaderName;

	/** The child context's supplier, looked up on the first pick (it is built after this balancer). */
	private volatile @Nullable Chain chain;

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
		Chain chain = chain();
		CurrentInstances current = chain.current(request);
		if (current != null) {
			ServiceInstance chosen = pick(current.instances(), request);
			if (chosen == null) {
				return NO_INSTANCE;
			}
			chain.selected(chosen);
			return current.answer(chosen);
		}
		return chain.supplier.get(request).next().map((instances) -> respond(chain, instances, request));
	}

	/**
	 * The fast path alone, for a caller that blocks anyway ({@link RpcBlockingLoadBalancerClient}): the chosen
	 * instance's response, or {@code null} when this request needs the reactive chain ({@link #choose}).
	 */
	@SuppressWarnings("rawtypes")
	@Nullable Response<ServiceInstance> chooseNow(Request request) {
		Chain chain = chain();
		CurrentInstances current = chain.current(request);
		if (current == null) {
			return null;
		}
		ServiceInstance chosen = pick(current.instances(), request);
		if (chosen == null) {
			return NO_INSTANCE_RESPONSE;
		}
		chain.selected(chosen);
		return current.response(chosen);
	}

	@SuppressWarnings("rawtypes")
	private Response<ServiceInstance> respond(Chain chain, List<ServiceInstance> instances, Request request) {
		ServiceInstance chosen = pick(instances, request);
		if (chosen == null) {
			// the catalog logged the list change that emptied it; a line per call would flood
			return new EmptyResponse();
		}
		chain.selected(chosen);
		return new DefaultResponse(chosen);
	}

	/** The one place the service's policy is asked, on the fast path and on the reactive chain alike. */
	@SuppressWarnings("rawtypes")
	private @Nullable ServiceInstance pick(List<ServiceInstance> instances, Request request) {
		return this.balancer.pick(instances, RequestHint.of(request, this.hintHeaderName));
	}

	private Chain chain() {
		Chain chain = this.chain;
		if (chain == null) {
			// a singleton of the child context: the same object on every later lookup
			chain = new Chain(this.suppliers.getIfAvailable(NoopServiceInstanceListSupplier::new));
			this.chain = chain;
		}
		return chain;
	}

	/** The supplier chain, and whether a pick may read the catalog directly. */
	private static final class Chain {

		final ServiceInstanceListSupplier supplier;

		private final @Nullable CatalogServiceInstanceListSupplier catalog;

		private final boolean retryAware;

		Chain(ServiceInstanceListSupplier supplier) {
			this.supplier = supplier;
			this.retryAware = supplier instanceof RetryAwareServiceInstanceListSupplier;
			ServiceInstanceListSupplier base = (supplier instanceof RetryAwareServiceInstanceListSupplier wrapper)
					? wrapper.getDelegate() : supplier;
			this.catalog = (base instanceof CatalogServiceInstanceListSupplier direct) ? direct : null;
		}

		/** The catalog's current list when the chain would return it unchanged for this request, else null. */
		@SuppressWarnings("rawtypes")
		@Nullable CurrentInstances current(Request request) {
			if (this.catalog == null || (this.retryAware && avoidsPreviousInstance(request))) {
				return null;
			}
			return this.catalog.current();
		}

		/** Spring Cloud's retry-aware wrapper filters the list only on a retry that names the previous instance. */
		@SuppressWarnings("rawtypes")
		private static boolean avoidsPreviousInstance(Request request) {
			return request != null && request.getContext() instanceof RetryableRequestContext context
					&& context.getPreviousServiceInstance() != null;
		}

		void selected(ServiceInstance chosen) {
			if (this.supplier instanceof SelectedInstanceCallback callback) {
				callback.selectedServiceInstance(chosen);
			}
		}

	}

}

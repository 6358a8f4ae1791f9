package io.github.rpcdiscovery.loadbalancer;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;

/**
 * Feeds each call's latency and outcome to the service's balancer, from Spring Cloud LoadBalancer's lifecycle events,
 * which RestTemplate, RestClient and WebClient all send (one start and one completion per attempt, retries
 * included). A service this starter does not resolve has no balancer, and this lifecycle declines its events.
 */
public final class CallOutcomeLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

	private final @Nullable ServiceBalancer balancer;

	public CallOutcomeLifecycle(@Nullable ServiceBalancer balancer) {
		this.balancer = balancer;
	}

	@Override
	@SuppressWarnings("rawtypes")
	public boolean supports(Class requestContextClass, Class responseClass, Class serverTypeClass) {
		return this.balancer != null && ServiceInstance.class.isAssignableFrom(serverTypeClass);
	}

	@Override
	public void onStart(Request<Object> request) {
	}

	@Override
	public void onStartRequest(Request<Object> request, Response<ServiceInstance> response) {
		ServiceInstance instance = (response != null) ? response.getServer() : null;
		if (this.balancer != null && instance != null) {
			this.balancer.callStarted(request, instance);
		}
	}

	@Override
	public void onComplete(CompletionContext<Object, ServiceInstance, Object> context) {
		if (this.balancer == null || context.status() == CompletionContext.Status.DISCARD
				|| context.getLoadBalancerRequest() == null) {
			return;
		}
		this.balancer.callEnded(context.getLoadBalancerRequest(), OutcomeClassifier.classify(context));
	}

}

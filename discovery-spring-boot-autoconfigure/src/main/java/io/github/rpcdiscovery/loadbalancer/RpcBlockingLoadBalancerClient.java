package io.github.rpcdiscovery.loadbalancer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.loadbalancer.blocking.client.BlockingLoadBalancerClient;

/**
 * Spring Cloud's {@link BlockingLoadBalancerClient} (RestTemplate and RestClient), which picks without a
 * {@code Mono} to block on when the service's balancer is this starter's and its fast path applies
 * ({@link RpcServiceInstanceLoadBalancer#chooseNow}). Everything else (lifecycle callbacks, {@code execute},
 * {@code reconstructURI}, hints, any other balancer) is Spring Cloud's, unchanged.
 */
public class RpcBlockingLoadBalancerClient extends BlockingLoadBalancerClient {

	private final ReactiveLoadBalancer.Factory<ServiceInstance> factory;

	public RpcBlockingLoadBalancerClient(ReactiveLoadBalancer.Factory<ServiceInstance> factory) {
		super(factory);
		this.factory = factory;
	}

	@Override
	public <T> @Nullable ServiceInstance choose(String serviceId, Request<T> request) {
		ReactiveLoadBalancer<ServiceInstance> loadBalancer = this.factory.getInstance(serviceId);
		if (loadBalancer == null) {
			return null;
		}
		Response<ServiceInstance> response = (loadBalancer instanceof RpcServiceInstanceLoadBalancer rpc)
				? rpc.chooseNow(request) : null;
		if (response == null) {
			// as Spring Cloud's client does, with the balancer already in hand
			response = Mono.from(loadBalancer.choose(request)).block();
		}
		return (response != null) ? response.getServer() : null;
	}

}

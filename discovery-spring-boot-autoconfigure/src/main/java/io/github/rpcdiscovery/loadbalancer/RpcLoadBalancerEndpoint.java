package io.github.rpcdiscovery.loadbalancer;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/rpcloadbalancer}: what the balancer of each service called so far knows about its instances (load,
 * calls in flight, average latency and success, ejected or not, last pick); {@code /actuator/rpcloadbalancer/{id}} for
 * one service. A view over {@link ServiceBalancers#states()}; it holds no state of its own.
 */
@Endpoint(id = "rpcloadbalancer")
public class RpcLoadBalancerEndpoint {

	private final ServiceBalancers balancers;

	public RpcLoadBalancerEndpoint(ServiceBalancers balancers) {
		this.balancers = balancers;
	}

	@ReadOperation
	public Map<String, ServiceBalancerState> services() {
		Map<String, ServiceBalancerState> services = new LinkedHashMap<>();
		for (ServiceBalancerState state : this.balancers.states()) {
			services.put(state.serviceId(), state);
		}
		return services;
	}

	/** One service's state, or 404 if it has not been called. */
	@ReadOperation
	public @Nullable ServiceBalancerState service(@Selector String serviceId) {
		return this.balancers.state(serviceId).orElse(null);
	}

}

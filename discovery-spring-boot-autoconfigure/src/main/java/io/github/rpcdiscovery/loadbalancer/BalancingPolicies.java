package io.github.rpcdiscovery.loadbalancer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rpcdiscovery.balancer.BalancingPolicy;
import io.github.rpcdiscovery.config.ClientProperties;
import io.github.rpcdiscovery.config.LoadBalancerType;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.Upstream;

/**
 * Which policy a service gets: its client block's {@code load-balancer} if set, else {@code rpc.load-balancer}.
 */
public final class BalancingPolicies implements Function<String, BalancingPolicy> {

	private static final Pattern CLIENT_BLOCK = Pattern.compile("rpc\\.clients\\[(\\d+)]");

	private final Map<String, BalancingPolicy> byService = new HashMap<>();

	private final BalancingPolicy fallback;

	public BalancingPolicies(RpcProperties properties, DiscoveryPlan plan) {
		this.fallback = policyOf(properties.loadBalancer());
		List<ClientProperties> clients = properties.clients();
		for (Upstream upstream : plan.configured()) {
			// the plan names the block that declared each upstream: rpc.clients[i]
			Matcher block = CLIENT_BLOCK.matcher(upstream.declaredBy());
			if (block.matches()) {
				int index = Integer.parseInt(block.group(1));
				LoadBalancerType own = (index < clients.size()) ? clients.get(index).loadBalancer() : null;
				if (own != null) {
					this.byService.put(upstream.serviceId(), policyOf(own));
				}
			}
		}
	}

	/** The balancer policy that implements a configured {@code load-balancer} value. */
	static BalancingPolicy policyOf(LoadBalancerType type) {
		return switch (type) {
			case P2C -> BalancingPolicy.P2C;
			case ROUND_ROBIN -> BalancingPolicy.ROUND_ROBIN;
			case RANDOM -> BalancingPolicy.RANDOM;
		};
	}

	@Override
	public BalancingPolicy apply(String serviceId) {
		return this.byService.getOrDefault(serviceId, this.fallback);
	}

}

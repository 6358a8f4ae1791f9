package io.github.rpcdiscovery.loadbalancer;

import java.util.List;

import io.github.rpcdiscovery.balancer.NodeState;

/**
 * What the balancer of one service knows, for reading (the actuator endpoint, diagnostics).
 *
 * @param serviceId the service id
 * @param policy the load-balancer policy: {@code p2c}, {@code round-robin} or {@code random}
 * @param nodes every known node: the listed ones in list order, then departed ones not yet forgotten
 */
public record ServiceBalancerState(String serviceId, String policy, List<NodeState> nodes) {

}

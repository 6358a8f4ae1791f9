package io.github.rpcdiscovery.grpc.balancer;

import java.util.Map;

import io.grpc.LoadBalancer.Subchannel;

/**
 * A subchannel the picker may choose, with the tracer that reports its calls to its node's statistics.
 *
 * @param subchannel the subchannel
 * @param tracer its calls' tracer
 * @param weight the instance's weight (1 unless its metadata says otherwise)
 * @param metadata the instance's metadata, for routing (zone, version)
 */
record ReadyNode(Subchannel subchannel, CallOutcomeTracer tracer, int weight, Map<String, String> metadata) {

	String nodeId() {
		return this.tracer.nodeId();
	}

}

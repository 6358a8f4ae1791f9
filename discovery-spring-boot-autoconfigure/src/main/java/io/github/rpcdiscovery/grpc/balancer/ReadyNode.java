package io.github.rpcdiscovery.grpc.balancer;

import io.grpc.LoadBalancer.Subchannel;

/**
 * A subchannel the picker may choose, with the tracer that reports its calls to its node's statistics.
 *
 * @param subchannel the subchannel
 * @param tracer its calls' tracer
 */
record ReadyNode(Subchannel subchannel, CallOutcomeTracer tracer) {

	String nodeId() {
		return this.tracer.nodeId();
	}

}

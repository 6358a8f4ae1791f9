package io.github.rpcdiscovery.grpc.balancer;

import io.grpc.LoadBalancer.Subchannel;

/**
 * A subchannel the picker may choose, with the tracer that reports its calls to its node's statistics.
 *
 * @param subchannel the subchannel
 * @param tracer its calls' tracer
 * @param weight the instance's weight (1 unless its metadata says otherwise)
 */
record ReadyNode(Subchannel subchannel, CallOutcomeTracer tracer, int weight) {

	String nodeId() {
		return this.tracer.nodeId();
	}

}

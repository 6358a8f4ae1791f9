package io.github.rpcdiscovery.grpc.balancer;

import io.github.rpcdiscovery.balancer.NodeStats;
import io.github.rpcdiscovery.balancer.NodeTable;
import io.github.rpcdiscovery.balancer.Outcome;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Feeds one node's statistics from the calls made on it: a stream created on the node's subchannel is a call started,
 * its close is the call's outcome and latency. Only streams that reach the transport count, so a pick that is retried
 * elsewhere leaves nothing in flight. The node is looked up by id per call (a map read), so statistics the table
 * forgot and started afresh are the ones the picker reads too.
 */
final class CallOutcomeTracer extends ClientStreamTracer.Factory {

	private final String nodeId;

	private final NodeTable table;

	CallOutcomeTracer(String nodeId, NodeTable table) {
		this.nodeId = nodeId;
		this.table = table;
	}

	String nodeId() {
		return this.nodeId;
	}

	@Override
	public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
		NodeStats node = this.table.node(this.nodeId);
		node.callStarted();
		long startedAt = this.table.clock().nanoTime();
		return new ClientStreamTracer() {

			@Override
			public void streamClosed(Status status) {
				if (status.getCode() == Status.Code.CANCELLED) {
					// the caller gave up: says nothing about the node
					node.callAbandoned();
				}
				else {
					node.callCompleted(startedAt, CallOutcomeTracer.this.table.clock().nanoTime(),
							outcome(status.getCode()));
				}
			}

		};
	}

	/**
	 * go-zero's rule ({@code codes.Acceptable}): a call failed if it ended with DEADLINE_EXCEEDED, INTERNAL,
	 * UNAVAILABLE, DATA_LOSS, UNIMPLEMENTED or RESOURCE_EXHAUSTED; any other status is an answer of a working node.
	 */
	static Outcome outcome(Status.Code code) {
		switch (code) {
			case DEADLINE_EXCEEDED:
			case INTERNAL:
			case UNAVAILABLE:
			case DATA_LOSS:
			case UNIMPLEMENTED:
			case RESOURCE_EXHAUSTED:
				return Outcome.FAILURE;
			default:
				return Outcome.SUCCESS;
		}
	}

}

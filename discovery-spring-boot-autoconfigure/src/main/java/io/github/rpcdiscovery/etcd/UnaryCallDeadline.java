package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/**
 * Gives every unary etcd call a deadline of its own. jetcd's stubs wait for a ready connection and set no deadline, so
 * a call issued while etcd is down queues in the channel until it reconnects; a timeout on the caller's future does
 * not cancel it, so after a long outage every abandoned call would reach etcd at once. With a deadline gRPC fails the
 * queued call (DEADLINE_EXCEEDED, which jetcd does not retry) and forgets it.
 * <p>
 * Streams (watches, lease keep-alives) are left alone: they are meant to stay open. A deadline the caller set wins.
 */
final class UnaryCallDeadline implements ClientInterceptor {

	private final long timeoutNanos;

	UnaryCallDeadline(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	@Override
	public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
			CallOptions callOptions, Channel next) {
		CallOptions options = callOptions;
		if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
			options = options.withDeadlineAfter(this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
		return next.newCall(method, options);
	}

}

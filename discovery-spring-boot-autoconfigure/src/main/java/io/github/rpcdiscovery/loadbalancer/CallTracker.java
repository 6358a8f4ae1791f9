package io.github.rpcdiscovery.loadbalancer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.rpcdiscovery.balancer.Balancer;
import io.github.rpcdiscovery.balancer.NanoClock;
import io.github.rpcdiscovery.balancer.NodeStats;
import io.github.rpcdiscovery.balancer.Outcome;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Pairs the start and the end of each call, so the node learns the call's latency and outcome and its in-flight
 * count stays right.
 * <p>
 * Spring Cloud LoadBalancer hands the same request object to the start and the completion event of one call (and of
 * each retry), but a WebClient call cancelled by its subscriber (say {@code Mono.timeout}) never completes. Calls
 * still open after {@link #ABANDON_AFTER} are therefore dropped, freeing their in-flight slot without teaching the
 * node anything; the sweep runs at most once a second, on whichever thread starts a call.
 */
final class CallTracker {

	/** How long an open call counts as in flight before it is taken for cancelled. */
	static final Duration ABANDON_AFTER = Duration.ofSeconds(30);

	private static final long SWEEP_EVERY = Duration.ofSeconds(1).toNanos();

	private static final VarHandle NEXT_SWEEP;

	static {
		try {
			NEXT_SWEEP = MethodHandles.lookup().findVarHandle(CallTracker.class, "nextSweep", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Map<CallKey, Call> open = new ConcurrentHashMap<>();

	private final Balancer<ServiceInstance> balancer;

	private final NanoClock clock;

	private final long abandonAfter;

	private volatile long nextSweep;

	CallTracker(Balancer<ServiceInstance> balancer, NanoClock clock, Duration abandonAfter) {
		this.balancer = balancer;
		this.clock = clock;
		this.abandonAfter = abandonAfter.toNanos();
		this.nextSweep = clock.nanoTime() + SWEEP_EVERY;
	}

	void started(Object request, ServiceInstance instance) {
		NodeStats node = this.balancer.statsOf(instance);
		long now = this.clock.nanoTime();
		node.callStarted();
		Call previous = this.open.put(new CallKey(request), new Call(node, now));
		if (previous != null) {
			// the same request started again without completing: its earlier attempt will never report
			previous.node().callAbandoned();
		}
		sweepIfDue(now);
	}

	void completed(Object request, Outcome outcome) {
		Call call = this.open.remove(new CallKey(request));
		if (call != null) {
			call.node().callCompleted(call.startedAt(), this.clock.nanoTime(), outcome);
		}
	}

	int openCalls() {
		return this.open.size();
	}

	private void sweepIfDue(long now) {
		long due = this.nextSweep;
		if (now - due >= 0 && NEXT_SWEEP.compareAndSet(this, due, now + SWEEP_EVERY)) {
			sweep(now);
		}
	}

	void sweep(long now) {
		for (Iterator<Map.Entry<CallKey, Call>> it = this.open.entrySet().iterator(); it.hasNext();) {
			Map.Entry<CallKey, Call> entry = it.next();
			Call call = entry.getValue();
			if (now - call.startedAt() > this.abandonAfter && this.open.remove(entry.getKey(), call)) {
				call.node().callAbandoned();
			}
		}
		this.balancer.forgetDeparted();
	}

	private record Call(NodeStats node, long startedAt) {
	}

	/** Identity of a request object: Spring Cloud's request types compare by value, and equal calls can overlap. */
	private static final class CallKey {

		private final Object request;

		CallKey(Object request) {
			this.request = request;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof CallKey key && key.request == this.request;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.request);
		}

	}

}

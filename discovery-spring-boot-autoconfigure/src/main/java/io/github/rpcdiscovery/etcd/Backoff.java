package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter: each delay is drawn between half and all of {@code initial * 2^failures}, capped,
 * so that many clients (or many watches of one client) that lost etcd together do not come back in lockstep. Not
 * thread-safe: each user keeps its own, on its own thread.
 */
final class Backoff {

	private final long initialNanos;

	private final long maxNanos;

	private int failures;

	Backoff(Duration initial, Duration max) {
		this.initialNanos = initial.toNanos();
		this.maxNanos = Math.max(max.toNanos(), this.initialNanos);
	}

	/** The delay before the next attempt; each call counts one more failure. */
	Duration next() {
		long ceiling = (this.failures >= 30) ? this.maxNanos
				: Math.min(this.maxNanos, this.initialNanos << this.failures);
		this.failures++;
		long half = ceiling / 2;
		return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
	}

	/** After a success: the next failure waits the initial delay again. */
	void reset() {
		this.failures = 0;
	}

}

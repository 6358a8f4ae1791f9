package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter: each delay is drawn between half and all of {@code initial * 2^failures}, capped
 * ("equal jitter"), so that many clients (or many watches of one client) that lost etcd together do not come back in
 * lockstep. Not thread-safe: each user keeps its own, on its own thread.
 * <p>
 * Discovery uses it with its configured bounds; a registration uses {@link #forLease}, whose cap depends on the TTL.
 */
public final class Backoff {

	/** The first retry delay of a registration. */
	public static final Duration LEASE_RETRY_INITIAL = Duration.ofMillis(500);

	/** The longest retry delay of a registration, whatever its TTL. */
	public static final Duration LEASE_RETRY_MAX = Duration.ofSeconds(5);

	private final long initialNanos;

	private final long maxNanos;

	private int failures;

	/**
	 * @param initial the ceiling of the first delay
	 * @param max the cap; raised to {@code initial} if smaller
	 */
	public Backoff(Duration initial, Duration max) {
		this.initialNanos = initial.toNanos();
		this.maxNanos = Math.max(max.toNanos(), this.initialNanos);
	}

	/**
	 * A registration's retries while etcd cannot be reached: 0.5 s doubling up to 5 s, and at most half the lease TTL.
	 * An etcd restarted on its data restores every lease with a full TTL; a retry that comes sooner than half of it
	 * catches the lease alive and keeps the same key instead of registering anew.
	 */
	public static Backoff forLease(Duration ttl) {
		return new Backoff(LEASE_RETRY_INITIAL, Duration.ofMillis(Math.min(LEASE_RETRY_MAX.toMillis(), ttl.toMillis() / 2)));
	}

	/** The delay before the next attempt; each call counts one more failure. */
	public Duration next() {
		long ceiling = (this.failures >= 30) ? this.maxNanos
				: Math.min(this.maxNanos, this.initialNanos << this.failures);
		this.failures++;
		long half = ceiling / 2;
		return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
	}

	/** The longest delay {@link #next()} returns. */
	public Duration cap() {
		return Duration.ofNanos(this.maxNanos);
	}

	/** After a success: the next failure waits the initial delay again. */
	public void reset() {
		this.failures = 0;
	}

}

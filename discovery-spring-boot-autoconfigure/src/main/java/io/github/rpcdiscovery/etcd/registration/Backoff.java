package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays while etcd cannot be reached: 0.5 s doubling up to 5 s, each drawn from the upper half of the current
 * step ("equal jitter"), so instances that lost etcd together do not come back in lockstep, and a recovered etcd sees
 * each instance again within a few seconds.
 * <p>
 * The cap is at most half the lease TTL: an etcd restarted on its data restores every lease with a full TTL, and a
 * retry that comes sooner than that catches the lease alive and keeps the same key instead of registering anew.
 */
final class Backoff {

	static final Duration INITIAL = Duration.ofMillis(500);

	static final Duration MAX = Duration.ofSeconds(5);

	private final long capMillis;

	private long stepMillis = INITIAL.toMillis();

	/** @param ttl the lease TTL; the cap is the smaller of 5 s and half of it */
	Backoff(Duration ttl) {
		this.capMillis = Math.max(INITIAL.toMillis(), Math.min(MAX.toMillis(), ttl.toMillis() / 2));
	}

	Duration next() {
		long step = Math.min(this.stepMillis, this.capMillis);
		this.stepMillis = Math.min(this.capMillis, step * 2);
		return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
	}

	Duration cap() {
		return Duration.ofMillis(this.capMillis);
	}

	void reset() {
		this.stepMillis = INITIAL.toMillis();
	}

}

package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays while etcd cannot be reached: 0.5 s doubling up to 5 s, each drawn from the upper half of the current
 * step ("equal jitter"), so instances that lost etcd together do not come back in lockstep, and a recovered etcd sees
 * each instance again within a few seconds.
 */
final class Backoff {

	static final Duration INITIAL = Duration.ofMillis(500);

	static final Duration MAX = Duration.ofSeconds(5);

	private long stepMillis = INITIAL.toMillis();

	Duration next() {
		long step = this.stepMillis;
		this.stepMillis = Math.min(MAX.toMillis(), step * 2);
		return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
	}

	void reset() {
		this.stepMillis = INITIAL.toMillis();
	}

}

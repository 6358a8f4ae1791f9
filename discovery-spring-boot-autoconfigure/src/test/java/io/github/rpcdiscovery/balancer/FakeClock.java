package io.github.rpcdiscovery.balancer;

import java.time.Duration;

/** A clock that moves only when told; starts far from zero, as nanoTime may. */
final class FakeClock implements NanoClock {

	private long now = 7_000_000_000_000L;

	@Override
	public long nanoTime() {
		return this.now;
	}

	long advance(Duration duration) {
		this.now += duration.toNanos();
		return this.now;
	}

	long advanceMillis(long millis) {
		return advance(Duration.ofMillis(millis));
	}

}

package io.github.rpcdiscovery.balancer;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Zone preference with spill-over ({@link ZoneRoute}): calls stay in the caller's zone while its instances keep up,
 * and a growing share goes to the other zones as they degrade.
 *
 * @param enabled whether the caller's zone is preferred at all
 * @param localZone the caller's zone; {@code null} (unknown) turns the preference off
 * @param latencyRatio a local instance is degraded while its latency average is over this many times the best
 * latency of the other zones and more than {@code latencyMargin} over it
 * @param latencyMargin latency differences below this never make a local instance degraded: on a busy machine or
 * network the local zone, which takes the calls, answers a few milliseconds slower than the idle other zones
 * @param maxFailureRate a local instance is degraded while its failure rate (1 - success score / 1000) is over this;
 * an ejected instance is always degraded
 * @param overprovisioning the local zone keeps all its calls while its healthy share of instances (by weight) times
 * this is 1 or more; below, the missing part spills: {@code spill = 1 - min(1, healthy * overprovisioning)}
 * @param probeInterval an instance of the side that gets no calls (the other zones while the local one is healthy,
 * degraded local instances while all spill) takes one call after this long, so a change is noticed
 */
public record ZoneSettings(boolean enabled, @Nullable String localZone, double latencyRatio, Duration latencyMargin,
		double maxFailureRate, double overprovisioning, Duration probeInterval) {

	public ZoneSettings {
		if (!(latencyRatio >= 1)) {
			throw new IllegalArgumentException("latencyRatio must be 1 or more");
		}
		if (latencyMargin.isNegative()) {
			throw new IllegalArgumentException("latencyMargin must not be negative");
		}
		if (!(maxFailureRate > 0 && maxFailureRate <= 1)) {
			throw new IllegalArgumentException("maxFailureRate must be above 0 and at most 1");
		}
		if (!(overprovisioning >= 1)) {
			throw new IllegalArgumentException("overprovisioning must be 1 or more");
		}
		if (probeInterval.isNegative() || probeInterval.isZero()) {
			throw new IllegalArgumentException("probeInterval must be positive");
		}
		localZone = (localZone != null && !localZone.isBlank()) ? localZone.strip() : null;
	}

	/** The defaults for a caller in {@code localZone}. */
	public static ZoneSettings defaults(@Nullable String localZone) {
		return new ZoneSettings(true, localZone, 2.0, Duration.ofMillis(10), 0.5, 1.5, Duration.ofSeconds(5));
	}

	/** Whether calls prefer a zone: enabled and the caller's zone known. */
	public boolean active() {
		return this.enabled && this.localZone != null;
	}

}

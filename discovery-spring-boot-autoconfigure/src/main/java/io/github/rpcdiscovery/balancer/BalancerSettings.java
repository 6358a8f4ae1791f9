package io.github.rpcdiscovery.balancer;

import java.time.Duration;

/**
 * The balancer's constants. The defaults are go-zero's p2c_ewma constants plus this project's ejection rules.
 *
 * @param decay the time constant τ of the latency and success averages: a sample Δt after the previous one weighs
 * {@code 1 - exp(-Δt/τ)} (go-zero: decayTime, 10 s); the k-th latency sample weighs at least {@code 1/k}, so the
 * latency average does not keep cold first samples (see {@link NodeStats})
 * @param forcePick a node not picked for longer than this is picked once when it is the other half of a pair, so a
 * node that was slow or failing is probed again (go-zero: forcePick, 1 s)
 * @param ejectAfterFailures consecutive failed calls after which a node is ejected (a refused connection ejects at
 * once)
 * @param firstEjection how long the first ejection lasts; each further ejection without a success in between lasts
 * twice as long as the previous one
 * @param maxEjection the longest ejection
 * @param forgetAfter how long the statistics of a node that left the instance list are kept, in case it comes back
 */
public record BalancerSettings(Duration decay, Duration forcePick, int ejectAfterFailures, Duration firstEjection,
		Duration maxEjection, Duration forgetAfter) {

	/** go-zero's initial success score (initSuccess). */
	public static final double INITIAL_SUCCESS = 1000;

	/** A node is healthy while its success score is above this (go-zero: throttleSuccess). */
	public static final double HEALTHY_SUCCESS = 500;

	public BalancerSettings {
		if (decay.isNegative() || decay.isZero()) {
			throw new IllegalArgumentException("decay must be positive");
		}
		if (ejectAfterFailures < 1) {
			throw new IllegalArgumentException("ejectAfterFailures must be at least 1");
		}
		if (maxEjection.compareTo(firstEjection) < 0) {
			throw new IllegalArgumentException("maxEjection must not be shorter than firstEjection");
		}
	}

	public static BalancerSettings defaults() {
		return new BalancerSettings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, Duration.ofSeconds(1),
				Duration.ofSeconds(8), Duration.ofMinutes(5));
	}

}

package io.github.rpcdiscovery.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the balancers (HTTP's rpc.load-balancer and gRPC's p2c_ewma alike) score and eject instances. The defaults are
 * go-zero's p2c_ewma constants and this starter's ejection rules; they suit most services.
 *
 * @param decay The time constant of p2c's averages of latency and success: a sample taken this long after the
 * previous one weighs 1 - 1/e (go-zero: decayTime, 10s). Longer reacts more slowly to a change of an instance's speed.
 * @param forcePick An instance not picked for longer than this is picked once when it is one of the two p2c compares,
 * so a slow or failing instance is tried again (go-zero: forcePick, 1s).
 * @param ejectAfterFailures Consecutive failed calls after which an instance is skipped by every policy; a refused
 * connection skips it at once.
 * @param firstEjection How long an instance is skipped the first time; each further ejection without a success in
 * between lasts twice as long, up to max-ejection.
 * @param maxEjection The longest an instance is skipped before it is tried again.
 * @param forgetAfter How long the statistics of an instance that left the instance list are kept, in case it comes
 * back (a restart keeps its score).
 */
@ConfigurationProperties("rpc.balancer")
public record BalancerProperties(@DefaultValue("10s") Duration decay, @DefaultValue("1s") Duration forcePick,
		@DefaultValue("3") int ejectAfterFailures, @DefaultValue("1s") Duration firstEjection,
		@DefaultValue("8s") Duration maxEjection, @DefaultValue("5m") Duration forgetAfter) {

	public BalancerProperties {
		requirePositive("rpc.balancer.decay", decay, "10s");
		requirePositive("rpc.balancer.force-pick", forcePick, "1s");
		requirePositive("rpc.balancer.first-ejection", firstEjection, "1s");
		requirePositive("rpc.balancer.max-ejection", maxEjection, "8s");
		requirePositive("rpc.balancer.forget-after", forgetAfter, "5m");
		if (ejectAfterFailures < 1) {
			throw new InvalidRpcPropertyException("rpc.balancer.eject-after-failures", ejectAfterFailures,
					"an instance cannot be ejected after fewer than one failed call", "set 1 or more; the default is 3");
		}
		if (maxEjection.compareTo(firstEjection) < 0) {
			throw new InvalidRpcPropertyException("rpc.balancer.max-ejection", maxEjection,
					"it is shorter than rpc.balancer.first-ejection (" + firstEjection + ")",
					"set max-ejection to first-ejection or longer");
		}
	}

	static void requirePositive(String property, Duration value, String example) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidRpcPropertyException(property, value, "it must be longer than zero",
					"set a positive duration, e.g. " + example);
		}
	}

}

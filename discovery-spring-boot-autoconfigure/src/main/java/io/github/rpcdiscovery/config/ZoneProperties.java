package io.github.rpcdiscovery.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Zone preference with spill-over, for @LoadBalanced clients and gRPC's p2c_ewma alike. The caller's zone is Spring
 * Cloud's spring.cloud.loadbalancer.zone; without it nothing is preferred.
 *
 * @param enabled Whether calls prefer instances in the caller's zone (spring.cloud.loadbalancer.zone; an EndpointSlice's
 * hints.forZones when every endpoint has them). On by default: it only acts when the caller's zone is set, and a local
 * zone that degrades spills its calls to the others.
 * @param latencyRatio A local instance counts as degraded while its latency average is over this many times the best
 * latency in the other zones and over it by more than latency-margin.
 * @param latencyMargin Latency differences below this never count a local instance as degraded: the local zone takes
 * the calls and on a busy machine or network answers a few milliseconds slower than the idle other zones.
 * @param maxFailureRate A local instance counts as degraded while its failure rate (from p2c's success score) is over
 * this, 0 to 1; an ejected instance always counts as degraded.
 * @param overprovisioning The local zone keeps all its calls while its healthy share of instances (by weight) times
 * this is 1 or more; below, the missing part goes to the other zones: 1 - min(1, healthy share x overprovisioning).
 * With 1.5, one degraded instance of three keeps every call local, two send half elsewhere, three send all.
 * @param probeInterval An instance that gets no calls because of the zone preference (other zones while the local one
 * is healthy, degraded local ones while all calls spill) takes one call after this long, so that a change is noticed.
 */
@ConfigurationProperties("rpc.balancer.zone")
public record ZoneProperties(@DefaultValue("true") boolean enabled, @DefaultValue("2.0") double latencyRatio,
		@DefaultValue("10ms") Duration latencyMargin,
		@DefaultValue("0.5") double maxFailureRate, @DefaultValue("1.5") double overprovisioning,
		@DefaultValue("5s") Duration probeInterval) {

	public ZoneProperties {
		if (!(latencyRatio >= 1)) {
			throw new InvalidRpcPropertyException("rpc.balancer.zone.latency-ratio", latencyRatio,
					"a ratio below 1 would call the fastest zone degraded", "set 1 or more; the default is 2.0");
		}
		if (!(maxFailureRate > 0 && maxFailureRate <= 1)) {
			throw new InvalidRpcPropertyException("rpc.balancer.zone.max-failure-rate", maxFailureRate,
					"it is a failure rate, above 0 and at most 1", "set e.g. 0.5 (the default)");
		}
		if (!(overprovisioning >= 1)) {
			throw new InvalidRpcPropertyException("rpc.balancer.zone.overprovisioning", overprovisioning,
					"below 1 a healthy zone would send calls elsewhere", "set 1 or more; the default is 1.5");
		}
		BalancerProperties.requirePositive("rpc.balancer.zone.probe-interval", probeInterval, "5s");
		if (latencyMargin == null || latencyMargin.isNegative()) {
			throw new InvalidRpcPropertyException("rpc.balancer.zone.latency-margin", latencyMargin,
					"a margin cannot be negative", "set 0 or more; the default is 10ms");
		}
	}

}

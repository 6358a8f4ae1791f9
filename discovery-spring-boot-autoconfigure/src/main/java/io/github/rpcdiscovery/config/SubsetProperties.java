package io.github.rpcdiscovery.config;

import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Subset routing by a call's hint (Spring Cloud's spring.cloud.loadbalancer.hint and hint header for @LoadBalanced
 * clients; a call option or the x-sc-lb-hint metadata key for gRPC).
 *
 * @param key The instance metadata key a hint is matched against: a call with hint canary goes to the instances whose
 * metadata has key=canary.
 * @param fallback What a call gets when no instance matches its hint or all that match are ejected: all (every
 * instance, as if there were no hint; Spring Cloud's hint supplier does the same) or fail (no instance: the call fails
 * with 503 / UNAVAILABLE).
 */
@ConfigurationProperties("rpc.balancer.subset")
public record SubsetProperties(@DefaultValue("version") String key, @DefaultValue("all") String fallback) {

	public SubsetProperties {
		if (key == null || key.isBlank()) {
			throw new InvalidRpcPropertyException("rpc.balancer.subset.key", key, "it must name a metadata key",
					"set a metadata key, e.g. version (the default)");
		}
		String normalized = (fallback != null) ? fallback.strip().toLowerCase(Locale.ROOT) : "all";
		if (!normalized.equals("all") && !normalized.equals("fail")) {
			throw new InvalidRpcPropertyException("rpc.balancer.subset.fallback", fallback,
					"only all and fail are known", "set all (the default) or fail");
		}
		key = key.strip();
		fallback = normalized;
	}

	/** Whether a hint that selects no available instance fails the call. */
	public boolean failsWithoutMatch() {
		return this.fallback.equals("fail");
	}

}

package io.github.rpcdiscovery.config;

import java.time.Duration;

import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How discovery behaves.
 *
 * @param enabled Whether this starter's discovery (catalog, discovery clients, load-balancer supplier) is on;
 * spring.cloud.discovery.enabled=false also turns it off.
 * @param order The order of this starter's discovery clients among Spring Cloud's (lower wins in the composite).
 * @param initialLoadTimeout How long the first lookup of a service waits for its first load from the registry before
 * answering with what it has (nothing). Later lookups never wait.
 * @param unlisted Service ids no rpc block names: which resolve here, and how long their watches stay open.
 */
public record DiscoveryProperties(@DefaultValue("true") boolean enabled, @DefaultValue("0") int order,
		@DefaultValue("3s") Duration initialLoadTimeout,
		@DefaultValue @NestedConfigurationProperty UnlistedProperties unlisted) {

	@ConstructorBinding
	public DiscoveryProperties {
		initialLoadTimeout = (initialLoadTimeout != null) ? initialLoadTimeout : Duration.ofSeconds(3);
		unlisted = (unlisted != null) ? unlisted : UnlistedProperties.defaults();
	}

	public DiscoveryProperties(boolean enabled, int order, Duration initialLoadTimeout) {
		this(enabled, order, initialLoadTimeout, UnlistedProperties.defaults());
	}

	public static DiscoveryProperties defaults() {
		return new DiscoveryProperties(true, 0, Duration.ofSeconds(3));
	}

}

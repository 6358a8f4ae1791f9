package io.github.rpcdiscovery.config;

import java.time.Duration;

import io.github.rpcdiscovery.core.UnlistedServices;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Service ids that no {@code rpc.*} block names, looked up in the default registry ({@code rpc.etcd.hosts}, or the
 * namespace of a {@code k8s://} target).
 *
 * @param mode Which unlisted ids resolve here: registered (the default registry holds the id when it is first looked
 * up; other ids go to Spring Cloud's own discovery clients and load balancer), all (every id; another registry next to
 * this starter no longer gets any), or none (only ids named in the rpc block).
 * @param idleTimeout How long the watch of an unlisted id stays open without a lookup or a load-balanced call.
 * @param maxServices How many unlisted ids are watched at most; over it, the least recently used watch is closed.
 * @param recheckInterval How long the answer "the registry does not hold this id" is kept before asking again.
 */
public record UnlistedProperties(@DefaultValue("registered") UnlistedServices.Mode mode,
		@DefaultValue("10m") Duration idleTimeout, @DefaultValue("512") int maxServices,
		@DefaultValue("10s") Duration recheckInterval) {

	public UnlistedProperties {
		UnlistedServices.Settings defaults = UnlistedServices.Settings.defaults();
		mode = (mode != null) ? mode : defaults.mode();
		idleTimeout = (idleTimeout != null) ? idleTimeout : defaults.idleTimeout();
		recheckInterval = (recheckInterval != null) ? recheckInterval : defaults.recheckInterval();
		if (maxServices < 1) {
			throw new InvalidRpcPropertyException("rpc.discovery.unlisted.max-services", maxServices,
					"at least one watch is needed", "set a positive number, e.g. 512, or mode: none");
		}
		if (idleTimeout.isNegative() || idleTimeout.isZero()) {
			throw new InvalidRpcPropertyException("rpc.discovery.unlisted.idle-timeout", idleTimeout,
					"a watch would close as soon as it opens", "set a positive duration, e.g. 10m");
		}
	}

	public static UnlistedProperties defaults() {
		UnlistedServices.Settings defaults = UnlistedServices.Settings.defaults();
		return new UnlistedProperties(defaults.mode(), defaults.idleTimeout(), defaults.maxServices(),
				defaults.recheckInterval());
	}

	public UnlistedServices.Settings settings() {
		return new UnlistedServices.Settings(this.mode, this.idleTimeout, this.maxServices, this.recheckInterval);
	}

}

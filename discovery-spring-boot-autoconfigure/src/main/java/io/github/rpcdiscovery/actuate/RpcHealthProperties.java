package io.github.rpcdiscovery.actuate;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the starter reports to Spring Boot's health endpoint.
 *
 * @param registrationLostAfter How long this application's registration may be lost (its lease gone and no new one
 * granted yet, or never registered since startup) before the health details report it as lost.
 * @param registrationLostDown Whether a registration lost for longer than registration-lost-after turns the
 * registration health DOWN (and with it discoveryComposite and the overall status). Off by default: a registry outage
 * must not take a whole fleet out of its load balancers.
 * @param readiness Whether and how discovery and registration take part in the readiness probe.
 */
@ConfigurationProperties("rpc.health")
public record RpcHealthProperties(@DefaultValue("30s") Duration registrationLostAfter,
		@DefaultValue("false") boolean registrationLostDown, @DefaultValue Readiness readiness) {

	public static RpcHealthProperties defaults() {
		return new RpcHealthProperties(Duration.ofSeconds(30), false, new Readiness(false));
	}

	/**
	 * The readiness contribution.
	 *
	 * @param enabled Whether the rpcReadiness health indicator exists and joins the readiness group: DOWN until every
	 * configured service has had its first list, and while this application's registration is lost for longer than
	 * registration-lost-after.
	 */
	public record Readiness(@DefaultValue("false") boolean enabled) {

	}

}

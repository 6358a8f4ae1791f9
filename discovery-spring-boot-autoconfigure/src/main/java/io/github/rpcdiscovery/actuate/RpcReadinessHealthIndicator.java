package io.github.rpcdiscovery.actuate;

import java.time.Clock;
import java.util.List;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;
import io.github.rpcdiscovery.target.Upstream;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code rpcReadiness}, only with {@code rpc.health.readiness.enabled=true}, in the readiness group: DOWN until every
 * configured service has had its first list (an application that cannot find its dependencies yet should not get
 * traffic), and while this application's registration has been lost for longer than
 * {@code rpc.health.registration-lost-after}. A registry outage after the first lists does not make it DOWN: the
 * frozen lists keep serving.
 */
public final class RpcReadinessHealthIndicator implements HealthIndicator {

	private final ServiceDiscovery discovery;

	private final List<RegistrationStatusProvider> registrations;

	private final RpcHealthProperties properties;

	private final Clock clock;

	public RpcReadinessHealthIndicator(ServiceDiscovery discovery, List<RegistrationStatusProvider> registrations,
			RpcHealthProperties properties, Clock clock) {
		this.discovery = discovery;
		this.registrations = registrations;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public Health health() {
		List<String> waiting = this.discovery.plan()
			.configured()
			.stream()
			.map(Upstream::serviceId)
			.filter((id) -> this.discovery.catalog().snapshot(id) == null)
			.toList();
		List<String> lost = RegistrationHealth.lost(this.registrations, this.properties.registrationLostAfter(),
				this.clock.instant());
		Health.Builder health = (waiting.isEmpty() && lost.isEmpty()) ? Health.up() : Health.down();
		if (!waiting.isEmpty()) {
			health.withDetail("waitingForFirstList", waiting);
		}
		if (!lost.isEmpty()) {
			health.withDetail("registrationLost", lost);
		}
		return health.build();
	}

}

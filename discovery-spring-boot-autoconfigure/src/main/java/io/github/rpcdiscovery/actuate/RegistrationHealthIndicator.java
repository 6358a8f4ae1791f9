package io.github.rpcdiscovery.actuate;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;

import org.springframework.boot.health.contributor.Health;
import org.springframework.cloud.client.discovery.health.DiscoveryHealthIndicator;

/**
 * {@code discoveryComposite.registration}: this application's registrations, with status, since when, lease and TTL
 * left. UP; a registration lost for longer than {@code rpc.health.registration-lost-after} is named under
 * {@code lost}, and turns this DOWN only with {@code rpc.health.registration-lost-down=true}.
 */
public final class RegistrationHealthIndicator implements DiscoveryHealthIndicator {

	private final List<RegistrationStatusProvider> providers;

	private final RpcHealthProperties properties;

	private final Clock clock;

	public RegistrationHealthIndicator(List<RegistrationStatusProvider> providers, RpcHealthProperties properties,
			Clock clock) {
		this.providers = providers;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public String getName() {
		return "registration";
	}

	@Override
	public Health health() {
		Instant now = this.clock.instant();
		Map<String, Object> registrations = new LinkedHashMap<>();
		for (RegistrationStatusProvider provider : this.providers) {
			for (RegistrationStatus status : provider.registrations()) {
				Map<String, Object> detail = new LinkedHashMap<>();
				detail.put("status", status.state().name());
				detail.put("since", status.since().toString());
				detail.put("address", status.address());
				detail.put("leaseIdHex", status.leaseIdHex());
				detail.put("ttlLeftMillis", (status.ttlLeft() != null) ? status.ttlLeft().toMillis() : null);
				if (status.lastError() != null) {
					detail.put("lastError", status.lastError());
				}
				registrations.put(status.serviceKey(), detail);
			}
		}
		List<String> lost = RegistrationHealth.lost(this.providers, this.properties.registrationLostAfter(), now);
		Health.Builder health = (!lost.isEmpty() && this.properties.registrationLostDown()) ? Health.down()
				: Health.up();
		health.withDetail("registrations", registrations);
		if (!lost.isEmpty()) {
			health.withDetail("lost", lost);
		}
		return health.build();
	}

}

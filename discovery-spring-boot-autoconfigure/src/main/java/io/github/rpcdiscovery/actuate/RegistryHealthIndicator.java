package io.github.rpcdiscovery.actuate;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.rpcdiscovery.status.ConnectionStatus;
import io.github.rpcdiscovery.status.RegistryStatusProvider;

import org.springframework.boot.health.contributor.Health;
import org.springframework.cloud.client.discovery.health.DiscoveryHealthIndicator;

/**
 * {@code discoveryComposite.<source>}: the connections of one discovery source. Always UP, with details: a registry
 * that is down while the last known instances are served is UP with its state, since when and how stale the view is.
 * DOWN would take every instance of every caller out of its load balancer at once, over a registry outage the
 * instances themselves do not suffer from; restarting them would not help either.
 */
public final class RegistryHealthIndicator implements DiscoveryHealthIndicator {

	private final RegistryStatusProvider source;

	private final Clock clock;

	public RegistryHealthIndicator(RegistryStatusProvider source, Clock clock) {
		this.source = source;
		this.clock = clock;
	}

	@Override
	public String getName() {
		return this.source.name();
	}

	@Override
	public Health health() {
		return Health.up().withDetails(details(this.source, this.clock.instant())).build();
	}

	/** Per connection: state, since, staleness, position and last error; and whether any view is frozen. */
	public static Map<String, Object> details(RegistryStatusProvider source, Instant now) {
		Map<String, Object> connections = new LinkedHashMap<>();
		boolean frozen = false;
		for (ConnectionStatus status : source.registryConnections().statuses()) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("state", status.state().name());
			detail.put("since", status.since().toString());
			detail.put("stalenessMillis", status.staleness(now).toMillis());
			if (status.position() != null) {
				detail.put("position", status.position());
			}
			if (status.lastError() != null && status.isFrozen()) {
				detail.put("lastError", status.lastError());
			}
			connections.put(status.name(), detail);
			frozen |= status.isFrozen();
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("connections", connections);
		details.put("servingFrozenView", frozen);
		return details;
	}

}

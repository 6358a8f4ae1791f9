package io.github.rpcdiscovery.kubernetes;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.status.ConnectionStatus;

import org.springframework.boot.health.contributor.Health;
import org.springframework.cloud.client.discovery.health.DiscoveryHealthIndicator;

/**
 * {@code discoveryComposite.kubernetes}: the API server, and per watched Service its state, since when, how stale its
 * view is, its service ids and slices, with the full text of any access problem (who is denied what, and the fix).
 * Always UP, as for etcd: the last known instances are still served, and restarting the pod would not help; the
 * details say what is wrong.
 */
public final class KubernetesDiscoveryHealthIndicator implements DiscoveryHealthIndicator {

	private final KubernetesDiscoverySource source;

	private final Clock clock;

	public KubernetesDiscoveryHealthIndicator(KubernetesDiscoverySource source) {
		this(source, Clock.systemUTC());
	}

	public KubernetesDiscoveryHealthIndicator(KubernetesDiscoverySource source, Clock clock) {
		this.source = source;
		this.clock = clock;
	}

	@Override
	public String getName() {
		return KubernetesDiscoverySource.NAME;
	}

	@Override
	public Health health() {
		Instant now = this.clock.instant();
		Map<String, ConnectionStatus> connections = new LinkedHashMap<>();
		this.source.registryConnections().statuses().forEach((status) -> connections.put(status.name(), status));
		Map<String, Object> services = new LinkedHashMap<>();
		boolean frozen = false;
		for (WatchStatus status : this.source.status()) {
			String name = status.namespace() + "/" + status.service();
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("serviceIds", status.serviceIds());
			detail.put("state", status.state());
			detail.put("slices", status.slices());
			ConnectionStatus connection = connections.get(name);
			if (connection != null) {
				detail.put("connection", connection.state().name());
				detail.put("since", connection.since().toString());
				detail.put("stalenessMillis", connection.staleness(now).toMillis());
				frozen |= connection.isFrozen();
			}
			services.put(name, detail);
		}
		Health.Builder health = Health.up()
			.withDetail("apiServer", this.source.apiServer())
			.withDetail("services", services)
			.withDetail("servingFrozenView", frozen);
		List<KubernetesAccessDeniedException> problems = this.source.accessProblems();
		if (!problems.isEmpty()) {
			health.withDetail("accessDenied", problems.stream().map(WatchReporter::text).toList());
		}
		return health.build();
	}

}

package io.github.rpcdiscovery.kubernetes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health/kubernetesDiscovery}: the API server, and per watched Service its state and service ids,
 * with the full text of any access problem (who is denied what, and the fix). Always UP: the last known instances are
 * still served, and restarting the pod would not help; the details say what is wrong.
 */
public final class KubernetesDiscoveryHealthIndicator implements HealthIndicator {

	private final KubernetesDiscoverySource source;

	public KubernetesDiscoveryHealthIndicator(KubernetesDiscoverySource source) {
		this.source = source;
	}

	@Override
	public Health health() {
		Map<String, Object> services = new LinkedHashMap<>();
		for (SliceWatch.WatchStatus status : this.source.status()) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("serviceIds", status.serviceIds());
			detail.put("state", status.state());
			detail.put("slices", status.slices());
			services.put(status.namespace() + "/" + status.service(), detail);
		}
		Health.Builder health = Health.up().withDetail("apiServer", this.source.apiServer()).withDetail("services",
				services);
		List<KubernetesAccessDeniedException> problems = this.source.accessProblems();
		if (!problems.isEmpty()) {
			health.withDetail("accessDenied", problems.stream().map(WatchReporter::text).toList());
		}
		return health.build();
	}

}

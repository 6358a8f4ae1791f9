package io.github.rpcdiscovery.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rpcdiscovery.balancer.RoutingSettings;
import io.github.rpcdiscovery.balancer.SubsetSettings;
import io.github.rpcdiscovery.balancer.ZoneSettings;
import io.github.rpcdiscovery.config.CanaryProperties;
import io.github.rpcdiscovery.config.ClientProperties;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.config.SubsetProperties;
import io.github.rpcdiscovery.config.ZoneProperties;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.Upstream;
import org.jspecify.annotations.Nullable;

/**
 * Each service's routing from configuration: {@code rpc.balancer.zone.*} with the caller's zone from
 * {@code spring.cloud.loadbalancer.zone}, {@code rpc.balancer.subset.*}, and the canary of the service's
 * {@code rpc.clients[i]} block. A canary block that cannot work stops startup naming it.
 */
final class ConfiguredRouting implements RoutingSettings.Source {

	private static final Pattern CLIENT_BLOCK = Pattern.compile("rpc\\.clients\\[(\\d+)]");

	private final RoutingSettings shared;

	private final Map<String, RoutingSettings> byService = new HashMap<>();

	ConfiguredRouting(ZoneProperties zone, SubsetProperties subset, @Nullable String localZone, RpcProperties rpc,
			DiscoveryPlan plan) {
		ZoneSettings zoneSettings = new ZoneSettings(zone.enabled(), localZone, zone.latencyRatio(),
				zone.latencyMargin(), zone.maxFailureRate(), zone.overprovisioning(), zone.probeInterval());
		SubsetSettings.Fallback fallback = subset.failsWithoutMatch() ? SubsetSettings.Fallback.FAIL
				: SubsetSettings.Fallback.ALL;
		this.shared = new RoutingSettings(zoneSettings, new SubsetSettings(subset.key(), fallback, null));
		List<ClientProperties> clients = rpc.clients();
		for (int i = 0; i < clients.size(); i++) {
			CanaryProperties canary = clients.get(i).canary();
			if (canary != null) {
				canary.validate("rpc.clients[" + i + "].canary");
			}
		}
		for (Upstream upstream : plan.configured()) {
			Matcher block = CLIENT_BLOCK.matcher(upstream.declaredBy());
			if (block.matches()) {
				int index = Integer.parseInt(block.group(1));
				CanaryProperties canary = (index < clients.size()) ? clients.get(index).canary() : null;
				if (canary != null) {
					this.byService.put(upstream.serviceId(), new RoutingSettings(zoneSettings, new SubsetSettings(
							subset.key(), fallback, new SubsetSettings.Canary(canary.version().strip(), canary.percent()))));
				}
			}
		}
	}

	@Override
	public RoutingSettings forService(String serviceId) {
		return this.byService.getOrDefault(serviceId, this.shared);
	}

}

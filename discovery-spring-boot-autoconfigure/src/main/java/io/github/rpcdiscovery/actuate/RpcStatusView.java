package io.github.rpcdiscovery.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.rpcdiscovery.balancer.InstanceWeight;
import io.github.rpcdiscovery.balancer.NodeState;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.InstanceSnapshot;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancerState;
import io.github.rpcdiscovery.status.ConnectionStatus;
import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.RpcTarget;
import io.github.rpcdiscovery.target.Upstream;
import org.jspecify.annotations.Nullable;


/**
 * Turns the status model into plain maps for JSON: times as ISO-8601 text, durations as milliseconds, and only
 * fields chosen here, so nothing else (a cluster's account, a token) can slip into the output.
 */
final class RpcStatusView {

	private RpcStatusView() {
	}

	static Map<String, Object> registration(RegistrationStatus status) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("serviceKey", status.serviceKey());
		view.put("key", status.key());
		view.put("address", status.address());
		view.put("registry", "etcd " + status.registry());
		view.put("leaseId", status.leaseId());
		view.put("leaseIdHex", status.leaseIdHex());
		view.put("ttlSeconds", status.ttl().toSeconds());
		view.put("ttlLeftMillis", (status.ttlLeft() != null) ? status.ttlLeft().toMillis() : null);
		view.put("lastRenewal", text(status.lastRenewal()));
		view.put("status", status.state().name());
		view.put("since", text(status.since()));
		view.put("lastError", status.lastError());
		return view;
	}

	static Map<String, Object> connection(ConnectionStatus status, Instant now) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("source", status.source());
		view.put("name", status.name());
		view.put("state", status.state().name());
		view.put("since", text(status.since()));
		view.put("position", status.position());
		view.put("lastSync", text(status.lastSync()));
		view.put("stalenessMillis", status.staleness(now).toMillis());
		view.put("lastError", status.lastError());
		view.put("watchEvents", status.watchEvents());
		view.put("relists", status.relists());
		return view;
	}

	/**
	 * @param balancer what the service's balancer knows, if it has been called
	 */
	static Map<String, Object> service(String serviceId, ServiceDiscovery discovery,
			Optional<ServiceBalancerState> balancer) {
		Map<String, Object> view = new LinkedHashMap<>();
		Optional<Upstream> upstream = discovery.plan().upstreamFor(serviceId);
		view.put("source", upstream.map((u) -> u.target().source()).orElse(null));
		view.put("target", upstream.map((u) -> describe(u.target())).orElse(null));
		view.put("declaredBy", upstream.map(Upstream::declaredBy).orElse(null));
		InstanceSnapshot snapshot = discovery.catalog().snapshot(serviceId);
		view.put("loaded", snapshot != null);
		view.put("origin", (snapshot != null) ? snapshot.origin() : null);
		view.put("updatedAt", (snapshot != null) ? text(Instant.ofEpochMilli(snapshot.updatedAtMillis())) : null);
		Map<String, NodeState> nodes = balancer
			.map((state) -> state.nodes()
				.stream()
				.collect(Collectors.toMap(NodeState::id, Function.identity(), (a, b) -> a)))
			.orElse(Map.of());
		view.put("loadBalancer", balancer.map(RpcStatusView::balancer).orElse(null));
		List<Map<String, Object>> instances = (snapshot != null)
				? snapshot.instances().stream().map((instance) -> instance(instance, nodes)).toList() : List.of();
		view.put("instances", instances);
		return view;
	}

	/** The policy, and the nodes that left the list but are remembered a while (the listed ones are per instance). */
	private static Map<String, Object> balancer(ServiceBalancerState state) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("policy", state.policy());
		view.put("departed", state.nodes().stream().filter((node) -> !node.listed()).toList());
		return view;
	}

	private static Map<String, Object> instance(DiscoveredInstance instance, Map<String, NodeState> nodes) {
		Map<String, Object> view = new LinkedHashMap<>();
		String address = instance.getAddress().toString();
		view.put("instanceId", instance.getInstanceId());
		view.put("address", address);
		view.put("source", instance.getSource());
		view.put("metadata", instance.getMetadata());
		NodeState node = nodes.get(address);
		view.put("zone", instance.getMetadata().get("zone"));
		view.put("version", instance.getMetadata().get("version"));
		view.put("weight", (node != null) ? node.weight() : InstanceWeight.of(instance.getMetadata()));
		view.put("sharePercent", (node != null) ? node.sharePercent() : null);
		view.put("balancer", node);
		return view;
	}

	/** The target without account or TLS files: the hosts and key, the Service, the endpoints. */
	static String describe(RpcTarget target) {
		if (target instanceof EtcdTarget etcd) {
			return "etcd://" + String.join(",", etcd.cluster().hosts()) + "/" + etcd.key();
		}
		if (target instanceof KubernetesTarget k8s) {
			return "k8s://" + k8s.namespace() + "/" + k8s.service() + ((k8s.port() != null) ? ":" + k8s.port() : "");
		}
		DirectTarget direct = (DirectTarget) target;
		return "direct://" + direct.endpoints().stream().map(Object::toString).collect(Collectors.joining(","));
	}

	static @Nullable String text(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}

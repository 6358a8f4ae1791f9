package io.github.rpcdiscovery.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.rpcdiscovery.loadbalancer.ServiceBalancerState;
import io.github.rpcdiscovery.status.ConnectionStatus;
import io.github.rpcdiscovery.status.RegistryStatusProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/rpc}: this application's registrations (key, address, lease, TTL left, last renewal, status), the
 * registry connections (state, since when, revision read, how stale the view is), and per discovered service its
 * instances with their source, metadata and load-balancer state. {@code /actuator/rpc/{serviceId}} shows one
 * service. A view over the state the sources, registries and balancers keep; it holds none of its own, and it shows
 * no account, password or token.
 * <p>
 * Reading it never calls a registry: the TTL left is computed from the last renewal etcd answered.
 */
@Endpoint(id = "rpc")
public class RpcEndpoint {

	private final RpcStatusSources sources;

	public RpcEndpoint(RpcStatusSources sources) {
		this.sources = sources;
	}

	@ReadOperation
	public Map<String, Object> rpc() {
		Instant now = this.sources.clock().instant();
		Map<String, Object> view = new LinkedHashMap<>();
		List<Map<String, Object>> registered = new ArrayList<>();
		this.sources.registrations()
			.forEach((provider) -> provider.registrations().forEach((r) -> registered.add(RpcStatusView.registration(r))));
		view.put("registrations", registered);
		List<Map<String, Object>> connections = new ArrayList<>();
		for (RegistryStatusProvider registry : this.sources.registries()) {
			for (ConnectionStatus status : registry.registryConnections().statuses()) {
				connections.add(RpcStatusView.connection(status, now));
			}
		}
		view.put("registries", connections);
		Map<String, Object> services = new LinkedHashMap<>();
		this.sources.discovery().serviceIds().stream().sorted().forEach((id) -> services.put(id, service(id)));
		view.put("services", services);
		return view;
	}

	/** One discovered service, or 404 if it is neither configured nor looked up. */
	@ReadOperation
	public @Nullable Map<String, Object> service(@Selector String serviceId) {
		if (!this.sources.discovery().serviceIds().contains(serviceId)) {
			return null;
		}
		return RpcStatusView.service(serviceId, this.sources.discovery(), balancer(serviceId));
	}

	private Optional<ServiceBalancerState> balancer(String serviceId) {
		return (this.sources.balancers() != null) ? this.sources.balancers().state(serviceId) : Optional.empty();
	}

}

package io.github.rpcdiscovery.target;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Which service ids resolve where: the configured upstreams, and the rule for any other id (the default etcd cluster,
 * else the Kubernetes namespace, else nothing).
 */
public final class DiscoveryPlan {

	private final Map<String, Upstream> upstreams = new LinkedHashMap<>();

	private final @Nullable EtcdCluster defaultEtcd;

	private final @Nullable String kubernetesNamespace;

	/**
	 * @param upstreams configured upstreams, unique by service id
	 * @param defaultEtcd the cluster any other service id is looked up in by its key, or {@code null}
	 * @param kubernetesNamespace the namespace any other service id is looked up in as a Service, or {@code null}
	 */
	public DiscoveryPlan(List<Upstream> upstreams, @Nullable EtcdCluster defaultEtcd,
			@Nullable String kubernetesNamespace) {
		for (Upstream upstream : upstreams) {
			this.upstreams.put(upstream.serviceId(), upstream);
		}
		this.defaultEtcd = defaultEtcd;
		this.kubernetesNamespace = kubernetesNamespace;
	}

	/** The upstreams named in configuration, in declaration order. */
	public List<Upstream> configured() {
		return List.copyOf(this.upstreams.values());
	}

	/** Whether a block of the {@code rpc:} configuration names this service id. */
	public boolean isConfigured(String serviceId) {
		return this.upstreams.containsKey(serviceId);
	}

	/** Where a service id resolves: its configured upstream, else the default registry, else nowhere. */
	public Optional<Upstream> upstreamFor(String serviceId) {
		Upstream configured = this.upstreams.get(serviceId);
		if (configured != null) {
			return Optional.of(configured);
		}
		if (this.defaultEtcd != null) {
			return Optional.of(new Upstream(serviceId, new EtcdTarget(this.defaultEtcd, serviceId), "rpc.etcd.hosts"));
		}
		if (this.kubernetesNamespace != null) {
			return Optional.of(new Upstream(serviceId, new KubernetesTarget(this.kubernetesNamespace, serviceId, null),
					"Kubernetes namespace " + this.kubernetesNamespace));
		}
		return Optional.empty();
	}

	public @Nullable EtcdCluster defaultEtcd() {
		return this.defaultEtcd;
	}

	public @Nullable String kubernetesNamespace() {
		return this.kubernetesNamespace;
	}

	/** Whether any upstream or default uses the given source ({@code direct}, {@code etcd}, {@code kubernetes}). */
	public boolean uses(String source) {
		return switch (source) {
			case "etcd" -> this.defaultEtcd != null || anyConfigured(source);
			case "kubernetes" -> this.kubernetesNamespace != null || anyConfigured(source);
			default -> anyConfigured(source);
		};
	}

	private boolean anyConfigured(String source) {
		return this.upstreams.values().stream().anyMatch((upstream) -> upstream.target().source().equals(source));
	}

}

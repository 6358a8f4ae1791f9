package io.github.rpcdiscovery.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;
import io.github.rpcdiscovery.core.DiscoverySource;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceEnumeration;
import io.github.rpcdiscovery.status.RegistryConnections;
import io.github.rpcdiscovery.status.RegistryStatusProvider;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.RpcTarget;
import io.github.rpcdiscovery.target.Upstream;
import org.jspecify.annotations.Nullable;

/**
 * Discovery from etcd with go-zero's layout: a service id resolves to the values under {@code <key>/} (with the
 * slash), each {@code host:port}, de-duplicated by value, with metadata read from beside them
 * ({@link InstanceMetadataCodec}).
 * <p>
 * <b>Watch layout.</b> One {@link ClusterWatcher} per cluster, on the cluster's shared jetcd client
 * ({@link EtcdConnections}), with one ordered executor. One {@link ServiceKeyWatcher} per distinct key, shared by
 * every service id naming it, watching {@code <key>/}; one watch of {@code _rpc-meta/} for the metadata of the whole
 * cluster ({@link ClusterMetadata}; per key while etcd refuses to list {@code _rpc-meta/} as a whole). Listings are
 * batched, many prefixes per read-only transaction ({@link ClusterLoads}). The data flow between these:
 * docs/architecture.md.
 * <p>
 * In jetcd 0.8.7 every {@code Watch.watch(...)} call opens its own gRPC bidi stream
 * ({@code WatchImpl.WatcherImpl.resume()} calls {@code VertxWatchGrpc.watchWithHandler} for each watcher; etcd's
 * protocol could carry many watch ids on one stream, jetcd does not expose that). They are HTTP/2 streams multiplexed
 * on the client's connection, not connections, but each costs about 3 KB of client heap and a pair of goroutines in
 * etcd. Fewer streams for the instances would take one range watch covering every key of the cluster, which does not
 * hold up: it would stream every unrelated key of a shared etcd to every client, and it fails outright under etcd auth
 * where a role may read only {@code user.rpc/} (go-zero's usual grant). So: one stream per service key, plus one.
 * <p>
 * <b>Failures.</b> The catalog changes only on a successful listing or on watch events, so while etcd is unreachable
 * every service keeps its last known instances (freeze). One WARN when a cluster becomes unreachable, one INFO when it
 * answers again; a service whose first load fails is retried in the background (jittered back-off, capped at
 * {@link EtcdDiscoverySettings#maxBackoff()}) and its {@link #watch} future completes when it succeeds.
 */
public final class EtcdDiscoverySource implements DiscoverySource, RegistryStatusProvider {

	public static final String NAME = "etcd";

	private final ServiceCatalog catalog;

	private final EtcdConnections connections;

	private final EtcdDiscoverySettings settings;

	private final EtcdServicesSettings servicesSettings;

	private final Map<EtcdCluster, ClusterWatcher> clusters = new ConcurrentHashMap<>();

	private final RegistryConnections connectionStates = new RegistryConnections(NAME);

	private volatile boolean closed;

	public EtcdDiscoverySource(ServiceCatalog catalog, EtcdConnections connections) {
		// a listing waits as long as each of its calls may take (the clients' deadline)
		this(catalog, connections, EtcdDiscoverySettings.defaults().withRequestTimeout(connections.requestTimeout()));
	}

	public EtcdDiscoverySource(ServiceCatalog catalog, EtcdConnections connections, EtcdDiscoverySettings settings) {
		this(catalog, connections, settings, EtcdServicesSettings.defaults());
	}

	/** With what {@code getServices()} enumerates in each cluster ({@code rpc.etcd.discovery.services-*}). */
	public EtcdDiscoverySource(ServiceCatalog catalog, EtcdConnections connections, EtcdDiscoverySettings settings,
			EtcdServicesSettings servicesSettings) {
		this.catalog = catalog;
		this.connections = connections;
		this.settings = settings;
		this.servicesSettings = servicesSettings;
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Starts keeping the upstream's instances current; does not block.
	 * @return completes when the first complete list has reached the catalog, however long etcd takes to answer
	 */
	@Override
	public CompletableFuture<Void> watch(Upstream upstream) {
		if (this.closed) {
			return CompletableFuture.failedFuture(new IllegalStateException("etcd discovery is closed"));
		}
		EtcdTarget target = (EtcdTarget) upstream.target();
		return clusterWatcher(target.cluster()).watch(upstream.serviceId(), target.key());
	}

	/**
	 * Every service key of the target's cluster with a live go-zero entry ({@link ServiceKeyIndex}): one keys-only
	 * list and one watch per cluster, started by the first call.
	 */
	@Override
	public @Nullable ServiceEnumeration enumerate(RpcTarget place) {
		if (this.closed || !(place instanceof EtcdTarget target)) {
			return null;
		}
		return clusterWatcher(target.cluster()).services(this.servicesSettings);
	}

	private ClusterWatcher clusterWatcher(EtcdCluster cluster) {
		return this.clusters.computeIfAbsent(cluster, (spec) -> new ClusterWatcher(spec, this.connections.client(spec),
				this.catalog, this.settings, this.connectionStates.track(String.join(",", spec.hosts()))));
	}

	/** Whether any key is under {@code <key>/}: one keys-only read of at most one key. */
	@Override
	public CompletableFuture<Boolean> holds(Upstream upstream) {
		if (this.closed) {
			return CompletableFuture.completedFuture(false);
		}
		EtcdTarget target = (EtcdTarget) upstream.target();
		GetOption oneKey = GetOption.builder().isPrefix(true).withKeysOnly(true).withLimit(1).build();
		return this.connections.client(target.cluster())
			.getKVClient()
			.get(ByteSequence.from(target.key() + "/", StandardCharsets.UTF_8), oneKey)
			.thenApply((response) -> !response.getKvs().isEmpty())
			// refused (auth, permission): resolve here, so the watch reports the refusal with its fix; any other failure
			// stays a failure, so the "no answer" is not remembered as "not registered"
			.exceptionallyCompose((failure) -> switch (EtcdFailure.quickKind(failure)) {
				case AUTHENTICATION, PERMISSION, TLS -> CompletableFuture.completedFuture(true);
				default -> CompletableFuture.failedFuture(failure);
			});
	}

	@Override
	public void unwatch(Upstream upstream) {
		EtcdTarget target = (EtcdTarget) upstream.target();
		ClusterWatcher cluster = this.clusters.get(target.cluster());
		if (cluster != null) {
			cluster.unwatch(upstream.serviceId(), target.key());
		}
	}

	/**
	 * Why a cluster's services are not loaded: the last failure to list them, or {@code null} if none is known (the
	 * cluster was never watched, or its last listing succeeded).
	 */
	public @Nullable Throwable lastFailure(EtcdCluster cluster) {
		ClusterWatcher watcher = this.clusters.get(cluster);
		return (watcher != null) ? watcher.lastFailure() : null;
	}

	/** The state of each cluster watched: connected or not since when, the revision read, how stale the view is. */
	@Override
	public RegistryConnections registryConnections() {
		return this.connectionStates;
	}

	@Override
	public void close() {
		this.closed = true;
		this.clusters.values().forEach(ClusterWatcher::close);
		this.clusters.clear();
	}

}

package io.github.rpcdiscovery.etcd;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.github.rpcdiscovery.core.DiscoverySource;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.Upstream;

/**
 * Discovery from etcd with go-zero's layout: a service id resolves to the values under {@code <key>/} (with the
 * slash), each {@code host:port}, de-duplicated by value, with metadata read from beside them
 * ({@link InstanceMetadataCodec}).
 * <p>
 * <b>Watch layout.</b> One {@link ClusterWatcher} per cluster, on the cluster's shared jetcd client
 * ({@link EtcdConnections}), with one ordered executor; one {@link ServiceKeyWatcher} per distinct key, shared by
 * every service id naming it; each watches two prefixes ({@code <key>/} and {@code _rpc-meta/<key>/}). In jetcd
 * 0.8.7 every {@code Watch.watch(...)} call opens its own gRPC bidi stream ({@code WatchImpl.WatcherImpl.resume()}
 * calls {@code VertxWatchGrpc.watchWithHandler} per watcher; etcd's protocol could carry many watch ids on one
 * stream, jetcd does not expose that). They are HTTP/2 streams multiplexed on the client's one connection per etcd
 * member, not connections. The design with fewer streams, one range watch per cluster covering every key, does not
 * hold up: it would stream every unrelated key of a shared etcd to every client, and it fails outright under etcd
 * auth where a role may read only {@code user.rpc/} (go-zero's usual grant).
 * <p>
 * <b>Failures.</b> The catalog changes only on a successful listing or on watch events, so while etcd is unreachable
 * every service keeps its last known instances (freeze). One WARN when a cluster becomes unreachable, one INFO when it
 * answers again; a service whose first load fails is retried in the background (jittered back-off, capped at
 * {@link EtcdDiscoverySettings#maxBackoff()}) and its {@link #watch} future completes when it succeeds.
 */
public final class EtcdDiscoverySource implements DiscoverySource {

	public static final String NAME = "etcd";

	private final ServiceCatalog catalog;

	private final EtcdConnections connections;

	private final EtcdDiscoverySettings settings;

	private final Map<EtcdCluster, ClusterWatcher> clusters = new ConcurrentHashMap<>();

	private volatile boolean closed;

	public EtcdDiscoverySource(ServiceCatalog catalog, EtcdConnections connections) {
		this(catalog, connections, EtcdDiscoverySettings.defaults());
	}

	public EtcdDiscoverySource(ServiceCatalog catalog, EtcdConnections connections, EtcdDiscoverySettings settings) {
		this.catalog = catalog;
		this.connections = connections;
		this.settings = settings;
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
		ClusterWatcher cluster = this.clusters.computeIfAbsent(target.cluster(), (spec) -> new ClusterWatcher(spec,
				this.connections.client(spec), this.catalog, this.settings));
		return cluster.watch(upstream.serviceId(), target.key());
	}

	@Override
	public void close() {
		this.closed = true;
		this.clusters.values().forEach(ClusterWatcher::close);
		this.clusters.clear();
	}

}

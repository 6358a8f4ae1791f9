package io.github.rpcdiscovery.etcd;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.status.ConnectionTracker;
import io.github.rpcdiscovery.target.EtcdCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Discovery from one etcd cluster: puts its parts together and hands them the service ids to watch. Data flows one
 * way, watch → mirror → catalog (docs/architecture.md):
 * <ul>
 * <li>{@link ClusterContext}: the client, the settings, the ordered executor and the {@link ClusterHealth};</li>
 * <li>{@link ClusterLoads}: when prefixes are listed (batches, probes while unreachable);</li>
 * <li>{@link PrefixMirror}: one prefix, listed then watched, told to its owner;</li>
 * <li>{@link ClusterMetadata}: the mirror of {@code _rpc-meta/}, told to the service keys that subscribed;</li>
 * <li>{@link ServiceKeyWatcher}: one per key, joins instances and metadata and updates the catalog.</li>
 * </ul>
 * Each part depends only on the ones listed before it. Catalog listeners (the load balancer supplier, the heartbeat
 * publisher) are called on the cluster executor, each change once.
 */
final class ClusterWatcher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ClusterWatcher.class);

	private final ServiceCatalog catalog;

	private final ClusterContext context;

	private final ClusterLoads loads;

	private final ClusterMetadata metadata;

	private final Map<String, ServiceKeyWatcher> keys = new HashMap<>();

	private @Nullable ServiceKeyIndex services;

	ClusterWatcher(EtcdCluster cluster, Client client, ServiceCatalog catalog, EtcdDiscoverySettings settings,
			ConnectionTracker tracker) {
		this.catalog = catalog;
		this.context = new ClusterContext(cluster, client, settings, new ClusterHealth(tracker));
		this.loads = new ClusterLoads(this.context);
		this.metadata = new ClusterMetadata(this.context, this.loads);
	}

	/** Starts keeping {@code serviceId} current with the instances under {@code key/}. */
	CompletableFuture<Void> watch(String serviceId, String key) {
		CompletableFuture<Void> firstLoad = new CompletableFuture<>();
		this.context.execute(() -> {
			// first in line, so that it shares the first batch of listings
			this.metadata.start();
			ServiceKeyWatcher watcher = this.keys.get(key);
			boolean created = watcher == null;
			if (created) {
				watcher = new ServiceKeyWatcher(key, this.context, this.loads, this.metadata, this.catalog);
				this.keys.put(key, watcher);
				this.context.health().serviceKeys(this.keys.size());
			}
			watcher.subscribe(serviceId, firstLoad);
			if (created) {
				watcher.start();
			}
		}, () -> firstLoad.completeExceptionally(new IllegalStateException("etcd discovery is closed")));
		return firstLoad;
	}

	/** Every service key with a live entry in the cluster; starts enumerating on the first call. */
	synchronized ServiceKeyIndex services(EtcdServicesSettings settings) {
		if (this.services == null) {
			this.services = new ServiceKeyIndex(this.context, this.catalog, settings);
			this.services.start();
		}
		return this.services;
	}

	/** Stops publishing {@code serviceId}; the key's watch closes when no service id names it any more. */
	void unwatch(String serviceId, String key) {
		this.context.execute(() -> {
			ServiceKeyWatcher watcher = this.keys.get(key);
			if (watcher != null && watcher.unsubscribe(serviceId)) {
				watcher.close();
				this.keys.remove(key);
				this.context.health().serviceKeys(this.keys.size());
			}
		}, null);
	}

	/** The last failure to list, or {@code null} if the last listing succeeded. */
	@Nullable Throwable lastFailure() {
		return this.context.health().lastFailure();
	}

	@Override
	public void close() {
		CompletableFuture<Void> closed = new CompletableFuture<>();
		this.context.execute(() -> {
			this.keys.values().forEach(ServiceKeyWatcher::close);
			this.keys.clear();
			synchronized (this) {
				if (this.services != null) {
					this.services.close();
				}
			}
			this.metadata.close();
			this.context.health().close();
			closed.complete(null);
		}, () -> closed.complete(null));
		try {
			closed.get(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.debug("Closing the watches of " + this.context.cluster() + " did not finish", ex);
		}
		this.context.shutdown();
	}

}

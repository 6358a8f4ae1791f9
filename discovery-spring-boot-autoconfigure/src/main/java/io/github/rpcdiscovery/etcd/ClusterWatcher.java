package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.status.ConnectionTracker;
import io.github.rpcdiscovery.target.EtcdCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Discovery from one etcd cluster: its shared jetcd client, one ordered executor, the schedule of its listings
 * ({@link ClusterLoads}), the metadata of the cluster ({@link ClusterMetadata}) and a {@link ServiceKeyWatcher} per
 * watched key.
 * <p>
 * Every piece of state below runs on the single executor thread, in the order things happened: jetcd's callbacks
 * (Vert.x event loop) only enqueue their payload, so they never block and never throw, and events of one prefix are
 * applied in the order etcd sent them. Catalog listeners (the load balancer supplier, the heartbeat publisher) are
 * called on this thread too, each change once.
 */
final class ClusterWatcher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ClusterWatcher.class);

	private final EtcdCluster cluster;

	private final Client client;

	private final ServiceCatalog catalog;

	private final EtcdDiscoverySettings settings;

	private final ScheduledThreadPoolExecutor executor;

	private final ClusterLoads loads;

	private final ClusterMetadata metadata;

	private final Map<String, ServiceKeyWatcher> keys = new HashMap<>();

	/** The connection's state for the actuator, health and metrics; written on the executor, read anywhere. */
	private final ConnectionTracker tracker;

	/** Prefixes etcd refuses to list now (permissions), with etcd's reason. */
	private final Map<PrefixMirror, String> rejected = new HashMap<>();

	/** The newest revision any prefix of this cluster was read at. */
	private long newestRevision;

	/** What went wrong last (unreachable, refused), for the startup check; cleared once a listing succeeds. */
	private volatile @Nullable Throwable lastFailure;

	ClusterWatcher(EtcdCluster cluster, Client client, ServiceCatalog catalog, EtcdDiscoverySettings settings,
			ConnectionTracker tracker) {
		this.tracker = tracker;
		this.cluster = cluster;
		this.client = client;
		this.catalog = catalog;
		this.settings = settings;
		this.executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "rpc-etcd-discovery " + String.join(",", cluster.hosts()));
			thread.setDaemon(true);
			return thread;
		});
		this.executor.setRemoveOnCancelPolicy(true);
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.loads = new ClusterLoads(this);
		this.metadata = new ClusterMetadata(this);
	}

	/** Starts keeping {@code serviceId} current with the instances under {@code key/}. */
	CompletableFuture<Void> watch(String serviceId, String key) {
		CompletableFuture<Void> firstLoad = new CompletableFuture<>();
		execute(() -> {
			// first in line, so that it shares the first batch of listings
			this.metadata.start();
			ServiceKeyWatcher watcher = this.keys.get(key);
			boolean created = watcher == null;
			if (created) {
				watcher = new ServiceKeyWatcher(key, this, this.catalog);
				this.keys.put(key, watcher);
			}
			watcher.subscribe(serviceId, firstLoad);
			if (created) {
				watcher.start();
			}
		}, () -> firstLoad.completeExceptionally(new IllegalStateException("etcd discovery is closed")));
		return firstLoad;
	}

	/** Stops publishing {@code serviceId}; the key's watch closes when no service id names it any more. */
	void unwatch(String serviceId, String key) {
		execute(() -> {
			ServiceKeyWatcher watcher = this.keys.get(key);
			if (watcher != null && watcher.unsubscribe(serviceId)) {
				watcher.close();
				this.keys.remove(key);
			}
		}, null);
	}

	EtcdCluster cluster() {
		return this.cluster;
	}

	Client client() {
		return this.client;
	}

	EtcdDiscoverySettings settings() {
		return this.settings;
	}

	ConnectionTracker tracker() {
		return this.tracker;
	}

	/** A prefix was listed at {@code revision} (on the executor). */
	void prefixListed(PrefixMirror mirror, long revision) {
		this.rejected.remove(mirror);
		this.lastFailure = null;
		this.newestRevision = Math.max(this.newestRevision, revision);
		this.tracker.listed("etcd revision " + this.newestRevision);
		refreshState();
	}

	/** Watch events of a prefix were applied, up to {@code revision} (on the executor). */
	void eventsApplied(int count, long revision) {
		this.newestRevision = Math.max(this.newestRevision, revision);
		this.tracker.eventsApplied(count, "etcd revision " + this.newestRevision);
	}

	/** The last failure to list, or {@code null} if the last listing succeeded. */
	@Nullable Throwable lastFailure() {
		return this.lastFailure;
	}

	void listingFailed(Throwable failure) {
		this.lastFailure = failure;
	}

	/** Whether any prefix of this cluster was ever listed. */
	boolean everListed() {
		return this.newestRevision > 0;
	}

	/** etcd refuses to list a prefix (on the executor). */
	void prefixRejected(PrefixMirror mirror, String reason) {
		this.rejected.put(mirror, reason);
		refreshState();
	}

	/** A prefix is no longer watched (on the executor). */
	void prefixClosed(PrefixMirror mirror) {
		if (this.rejected.remove(mirror) != null) {
			refreshState();
		}
	}

	/** Sets the connection state from what is known now; {@link ClusterLoads} reports unreachability itself. */
	void refreshState() {
		if (this.loads.isUnreachable()) {
			return;
		}
		if (!this.rejected.isEmpty()) {
			this.tracker.denied("REJECTED: " + this.rejected.values().iterator().next());
		}
		else if (this.newestRevision > 0) {
			this.tracker.connected();
		}
	}

	ClusterLoads loads() {
		return this.loads;
	}

	ClusterMetadata metadata() {
		return this.metadata;
	}

	int serviceKeyCount() {
		return this.keys.size();
	}

	@Nullable ServiceKeyWatcher keyWatcher(String key) {
		return this.keys.get(key);
	}

	void forEachKeyWatcher(Consumer<ServiceKeyWatcher> action) {
		List.copyOf(this.keys.values()).forEach(action);
	}

	/**
	 * Runs a task on the cluster executor. Never throws: safe to call from jetcd callbacks.
	 * @param ifClosed run instead when the executor is shut down
	 */
	void execute(Runnable task, @Nullable Runnable ifClosed) {
		try {
			this.executor.execute(() -> runGuarded(task));
		}
		catch (RejectedExecutionException ex) {
			if (ifClosed != null) {
				ifClosed.run();
			}
		}
		catch (RuntimeException | Error ex) {
			logger.error("Could not hand a task to the etcd discovery executor", ex);
		}
	}

	void schedule(Runnable task, Duration delay) {
		try {
			this.executor.schedule(() -> runGuarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private static void runGuarded(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException | Error ex) {
			// a bug here must not stop the executor, or every watch of the cluster would freeze for good
			logger.error("etcd discovery task failed", ex);
		}
	}

	@Override
	public void close() {
		CompletableFuture<Void> closed = new CompletableFuture<>();
		execute(() -> {
			this.keys.values().forEach(ServiceKeyWatcher::close);
			this.keys.clear();
			this.metadata.close();
			this.tracker.close();
			closed.complete(null);
		}, () -> closed.complete(null));
		try {
			closed.get(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.debug("Closing the watches of " + this.cluster + " did not finish", ex);
		}
		this.executor.shutdownNow();
	}

}

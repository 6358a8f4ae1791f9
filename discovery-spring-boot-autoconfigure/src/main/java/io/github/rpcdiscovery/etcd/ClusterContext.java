package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.target.EtcdCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What every part of one cluster's discovery shares: the cluster, its jetcd client, the settings, the cluster's
 * {@link ClusterHealth} and its one ordered executor. Knows none of the parts, so they depend on it and never on each
 * other's owner.
 * <p>
 * Every piece of discovery state of the cluster runs on the single executor thread, in the order things happened:
 * jetcd's callbacks (Vert.x event loop) only enqueue their payload, so they never block and never throw, and events of
 * one prefix are applied in the order etcd sent them.
 */
final class ClusterContext {

	private static final Log logger = LogFactory.getLog(ClusterContext.class);

	private final EtcdCluster cluster;

	private final Client client;

	private final EtcdDiscoverySettings settings;

	private final ClusterHealth health;

	private final ScheduledThreadPoolExecutor executor;

	ClusterContext(EtcdCluster cluster, Client client, EtcdDiscoverySettings settings, ClusterHealth health) {
		this.cluster = cluster;
		this.client = client;
		this.settings = settings;
		this.health = health;
		this.executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "rpc-etcd-discovery " + String.join(",", cluster.hosts()));
			thread.setDaemon(true);
			return thread;
		});
		this.executor.setRemoveOnCancelPolicy(true);
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
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

	ClusterHealth health() {
		return this.health;
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

	void shutdown() {
		this.executor.shutdownNow();
	}

}

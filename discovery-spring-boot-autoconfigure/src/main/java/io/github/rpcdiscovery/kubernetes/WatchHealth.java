package io.github.rpcdiscovery.kubernetes;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.rpcdiscovery.status.ConnectionTracker;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link SliceWatch} tells about itself: its connection state for the actuator, health and metrics (its
 * {@link ConnectionTracker}), and the log lines, through the {@link WatchReporter} shared by all watches, which says
 * each outage and each access problem once.
 */
final class WatchHealth {

	private final SliceWatch watch;

	private final WatchReporter reporter;

	private final ConnectionTracker tracker;

	private volatile @Nullable KubernetesAccessDeniedException accessProblem;

	WatchHealth(SliceWatch watch, WatchReporter reporter, ConnectionTracker tracker) {
		this.watch = watch;
		this.reporter = reporter;
		this.tracker = tracker;
	}

	/** A complete list of this informer is published. */
	void listed(@Nullable SharedIndexInformer<?> informer) {
		this.tracker.listed(position(informer));
		this.tracker.connected();
	}

	/** An event of this informer was published, it took that long. */
	void eventApplied(SharedIndexInformer<?> informer, long arrivedNanos) {
		this.tracker.eventsApplied(1, position(informer));
		this.tracker.propagated(System.nanoTime() - arrivedNanos);
	}

	/** A list succeeded: the API server is reachable and grants access. */
	void reachable(String how) {
		if (this.accessProblem != null) {
			this.accessProblem = null;
			this.reporter.granted(this.watch);
		}
		this.reporter.reachable(this.watch, how);
	}

	void denied(int httpStatus, KubernetesAccessDeniedException problem) {
		this.accessProblem = problem;
		this.tracker.denied("DENIED: HTTP " + httpStatus);
		this.reporter.denied(this.watch, problem);
	}

	void unreachable(String cause, String what) {
		this.tracker.unreachable("UNREACHABLE: " + cause);
		this.reporter.unreachable(this.watch, what);
	}

	@Nullable KubernetesAccessDeniedException accessProblem() {
		return this.accessProblem;
	}

	boolean isUnreachable() {
		return this.reporter.isUnreachable(this.watch);
	}

	void close() {
		this.reporter.forget(this.watch);
		this.tracker.close();
	}

	private static String position(@Nullable SharedIndexInformer<?> informer) {
		String version = (informer != null) ? informer.lastSyncResourceVersion() : null;
		return "resourceVersion " + ((version != null) ? version : "?");
	}

}

package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What Kubernetes discovery says in the log, and remembers for the health endpoint: one ERROR per access problem
 * (until access is granted again), one WARN when the API server becomes unreachable and one INFO when every watch is
 * back, however many services are watched and however long it lasts. Never a stack trace.
 * <p>
 * Access problems found before the startup check has run are not logged: the check fails startup with them, and
 * reports them through a FailureAnalyzer instead.
 */
final class WatchReporter {

	private static final Log logger = LogFactory.getLog(KubernetesDiscoverySource.class);

	private final String apiServer;

	private final Map<SliceWatch, KubernetesAccessDeniedException> denied = new LinkedHashMap<>();

	private final Set<SliceWatch> unreported = new LinkedHashSet<>();

	private final Set<SliceWatch> unreachable = new LinkedHashSet<>();

	private long unreachableSinceNanos;

	private boolean startupChecked;

	WatchReporter(String apiServer) {
		this.apiServer = apiServer;
	}

	String apiServer() {
		return this.apiServer;
	}

	synchronized void denied(SliceWatch watch, KubernetesAccessDeniedException problem) {
		reachable(watch, "it answers, but denies access (see below)");
		if (this.denied.put(watch, problem) != null) {
			return;
		}
		if (this.startupChecked) {
			logger.error(text(problem));
		}
		else {
			this.unreported.add(watch);
		}
	}

	synchronized void granted(SliceWatch watch) {
		this.unreported.remove(watch);
		if (this.denied.remove(watch) != null) {
			logger.info("Kubernetes now allows listing EndpointSlices of " + watch + "; discovery of it resumed");
		}
	}

	synchronized void unreachable(SliceWatch watch, String what) {
		if (this.unreachable.isEmpty()) {
			this.unreachableSinceNanos = System.nanoTime();
			logger.warn("Kubernetes API server " + this.apiServer + " unreachable: " + what
					+ "; the last known instances are kept and the watch is retried in the background");
		}
		this.unreachable.add(watch);
	}

	synchronized void reachable(SliceWatch watch, String how) {
		if (this.unreachable.remove(watch) && this.unreachable.isEmpty()) {
			Duration outage = Duration.ofNanos(System.nanoTime() - this.unreachableSinceNanos);
			logger.info("Kubernetes API server " + this.apiServer + " reachable again after "
					+ (outage.toMillis() / 100) / 10.0 + " s; " + how);
		}
	}

	synchronized void forget(SliceWatch watch) {
		this.denied.remove(watch);
		this.unreported.remove(watch);
		this.unreachable.remove(watch);
	}

	/** From now on access problems are logged; those found so far are logged now. */
	synchronized void startupChecked() {
		this.startupChecked = true;
		for (SliceWatch watch : this.unreported) {
			logger.error(text(this.denied.get(watch)));
		}
		this.unreported.clear();
	}

	synchronized List<KubernetesAccessDeniedException> accessProblems() {
		return new ArrayList<>(this.denied.values());
	}

	synchronized boolean isUnreachable(SliceWatch watch) {
		return this.unreachable.contains(watch);
	}

	static String text(KubernetesAccessDeniedException problem) {
		return problem.description() + "\n" + problem.action();
	}

}

package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Schedules the listings of one cluster's prefixes and knows whether the cluster is reachable.
 * <ul>
 * <li>Reachable: up to {@code maxConcurrentLoads} listings run at once (a cold start or a reconnect with a thousand
 * services does not fire a thousand requests together).</li>
 * <li>A listing fails because etcd is down, has no leader or does not answer: the cluster is unreachable. One WARN,
 * then a single listing at a time probes it, with jittered back-off capped at {@code maxBackoff}; the others wait in
 * line. (jetcd calls wait for a connection without a deadline; re-issuing every prefix's listing on every retry
 * would pile them up for as long as the outage lasts.)</li>
 * <li>The first listing that succeeds makes it reachable again: one INFO, and the waiting listings run.</li>
 * </ul>
 * Confined to the cluster executor.
 */
final class ClusterLoads {

	private static final Log logger = LogFactory.getLog(ClusterLoads.class);

	private final ClusterWatcher cluster;

	private final Deque<PrefixMirror> waiting = new ArrayDeque<>();

	private final Set<PrefixMirror> queued = new HashSet<>();

	private final Backoff probeBackoff;

	private int inFlight;

	private boolean unreachable;

	private long unreachableSinceNanos;

	private boolean probeScheduled;

	ClusterLoads(ClusterWatcher cluster) {
		this.cluster = cluster;
		this.probeBackoff = new Backoff(cluster.settings().initialBackoff(), cluster.settings().maxBackoff());
	}

	/** Lists the mirror as soon as the cluster allows; a mirror already waiting keeps its place. */
	void request(PrefixMirror mirror) {
		if (this.queued.add(mirror)) {
			this.waiting.addLast(mirror);
		}
		pump();
	}

	boolean isUnreachable() {
		return this.unreachable;
	}

	private void pump() {
		if (this.unreachable) {
			if (this.inFlight == 0 && !this.probeScheduled && !this.waiting.isEmpty()) {
				this.probeScheduled = true;
				this.cluster.schedule(this::probe, this.probeBackoff.next());
			}
			return;
		}
		while (this.inFlight < this.cluster.settings().maxConcurrentLoads() && !this.waiting.isEmpty()) {
			startNext();
		}
	}

	private void probe() {
		this.probeScheduled = false;
		if (this.unreachable && this.inFlight == 0 && !this.waiting.isEmpty()) {
			startNext();
		}
		else {
			pump();
		}
	}

	private void startNext() {
		PrefixMirror mirror = this.waiting.pollFirst();
		this.queued.remove(mirror);
		this.inFlight++;
		mirror.load().whenComplete((result, failure) -> this.cluster.execute(() -> finished(mirror, result, failure),
				null));
	}

	private void finished(PrefixMirror mirror, PrefixMirror.@Nullable LoadResult result, @Nullable Throwable failure) {
		this.inFlight--;
		PrefixMirror.LoadOutcome outcome = (result != null) ? result.outcome() : PrefixMirror.LoadOutcome.UNREACHABLE;
		switch (outcome) {
			case LOADED -> reachable();
			case UNREACHABLE -> {
				unreachable(mirror, (result != null) ? result.failure() : failure);
				// first in line: it becomes the next probe
				if (this.queued.add(mirror)) {
					this.waiting.addFirst(mirror);
				}
			}
			case RETRY_NOW -> request(mirror);
			default -> {
				// REJECTED retries on its own schedule; CLOSED is done
			}
		}
		pump();
	}

	private void unreachable(PrefixMirror mirror, @Nullable Throwable failure) {
		if (this.unreachable) {
			return;
		}
		this.unreachable = true;
		this.unreachableSinceNanos = System.nanoTime();
		logger.warn(this.cluster.cluster() + " is unreachable (listing '" + mirror.prefix() + "': "
				+ ((failure != null) ? EtcdFailures.describe(failure) : "no answer") + "); serving the last known"
				+ " instances of " + this.cluster.serviceKeyCount() + " service key(s) and retrying");
	}

	private void reachable() {
		this.probeBackoff.reset();
		if (!this.unreachable) {
			return;
		}
		this.unreachable = false;
		Duration outage = Duration.ofNanos(System.nanoTime() - this.unreachableSinceNanos);
		logger.info(this.cluster.cluster() + " is reachable again after " + seconds(outage)
				+ "; reloading what changed meanwhile");
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

}

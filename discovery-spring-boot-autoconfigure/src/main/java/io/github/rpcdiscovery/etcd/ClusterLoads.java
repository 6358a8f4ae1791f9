package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Schedules the listings of one cluster's prefixes and knows whether the cluster is reachable.
 * <ul>
 * <li>Waiting prefixes are listed in batches, one read-only transaction each ({@link PrefixListing}), with at most
 * {@code maxConcurrentLoads} requests in flight: a cold start or a reconnect with a thousand services costs a few
 * dozen requests.</li>
 * <li>A listing fails because etcd is down, has no leader or does not answer: the cluster is unreachable. One WARN;
 * then a single batch at a time probes it, with jittered back-off capped at {@code maxBackoff}, while the others wait
 * in line. (jetcd calls wait for a connection without a deadline; re-issuing every listing on every retry would pile
 * calls up for as long as the outage lasts.)</li>
 * <li>The first listing that succeeds makes it reachable again: one INFO, and the waiting prefixes are listed.</li>
 * <li>A batch that etcd refuses (say, no permission on one of its prefixes) is split: its prefixes are listed alone,
 * so one refused prefix does not hold the others back.</li>
 * </ul>
 * Confined to the cluster executor.
 */
final class ClusterLoads {

	private static final Log logger = LogFactory.getLog(ClusterLoads.class);

	private final ClusterWatcher cluster;

	private final Deque<PrefixMirror> waiting = new ArrayDeque<>();

	private final Set<PrefixMirror> queued = new HashSet<>();

	/** Mirrors etcd refused in a batch: listed alone from now on. */
	private final Set<PrefixMirror> alone = new HashSet<>();

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

	private void pump() {
		if (this.unreachable) {
			if (this.inFlight == 0 && !this.probeScheduled && !this.waiting.isEmpty()) {
				this.probeScheduled = true;
				this.cluster.schedule(this::probe, this.probeBackoff.next());
			}
			return;
		}
		while (this.inFlight < this.cluster.settings().maxConcurrentLoads() && !this.waiting.isEmpty()) {
			startBatch();
		}
	}

	private void probe() {
		this.probeScheduled = false;
		if (this.unreachable && this.inFlight == 0 && !this.waiting.isEmpty()) {
			// the channel may sit in gRPC's reconnect back-off far longer than ours (jetcd #1616): let it try now
			EtcdConnections.reconnectNow(this.cluster.client());
			startBatch();
		}
		else {
			pump();
		}
	}

	private void startBatch() {
		List<PrefixMirror> batch = nextBatch();
		if (batch.isEmpty()) {
			return;
		}
		this.inFlight++;
		EtcdDiscoverySettings settings = this.cluster.settings();
		List<String> prefixes = batch.stream().map(PrefixMirror::prefix).toList();
		CompletableFuture<List<PrefixListing>> listings;
		try {
			listings = PrefixListing.read(this.cluster.client().getKVClient(), prefixes, settings.batchLimit(),
					settings.pageSize(), settings.requestTimeout());
		}
		catch (RuntimeException ex) {
			listings = CompletableFuture.failedFuture(ex);
		}
		listings.whenComplete((result, failure) -> this.cluster.execute(() -> finished(batch, result, failure), null));
	}

	private List<PrefixMirror> nextBatch() {
		List<PrefixMirror> batch = new ArrayList<>();
		while (!this.waiting.isEmpty() && batch.size() < this.cluster.settings().batchSize()) {
			PrefixMirror next = this.waiting.peekFirst();
			boolean listAlone = this.alone.contains(next);
			if (listAlone && !batch.isEmpty()) {
				break;
			}
			this.waiting.pollFirst();
			this.queued.remove(next);
			if (next.isClosed()) {
				this.alone.remove(next);
				continue;
			}
			batch.add(next);
			if (listAlone) {
				break;
			}
		}
		return batch;
	}

	private void finished(List<PrefixMirror> batch, @Nullable List<PrefixListing> listings,
			@Nullable Throwable failure) {
		this.inFlight--;
		boolean alone = batch.size() == 1;
		Deque<PrefixMirror> probeFirst = new ArrayDeque<>();
		for (int i = 0; i < batch.size(); i++) {
			PrefixMirror mirror = batch.get(i);
			PrefixMirror.LoadOutcome outcome;
			try {
				outcome = (listings != null) ? mirror.listed(listings.get(i))
						: mirror.listingFailed(failureOrUnknown(failure), alone);
			}
			catch (RuntimeException ex) {
				logger.error("Applying the listing of '" + mirror.prefix() + "' failed", ex);
				outcome = PrefixMirror.LoadOutcome.RETRY_NOW;
			}
			switch (outcome) {
				case LOADED -> reachable();
				case UNREACHABLE -> {
					unreachable(mirror, failure);
					probeFirst.addFirst(mirror);
				}
				case RETRY_NOW -> request(mirror);
				case RETRY_ALONE -> {
					this.alone.add(mirror);
					request(mirror);
				}
				default -> {
					// REJECTED retries on its own schedule; CLOSED is done
				}
			}
			if (mirror.isClosed()) {
				// closed by its owner meanwhile (a refused metadata mirror is replaced by a new one later)
				this.alone.remove(mirror);
			}
		}
		// first in line, in their order: the next probe
		for (PrefixMirror mirror : probeFirst) {
			if (this.queued.add(mirror)) {
				this.waiting.addFirst(mirror);
			}
		}
		pump();
	}

	private static Throwable failureOrUnknown(@Nullable Throwable failure) {
		return (failure != null) ? failure : new IllegalStateException("no listing and no failure");
	}

	private void unreachable(PrefixMirror mirror, @Nullable Throwable failure) {
		if (this.unreachable) {
			return;
		}
		this.unreachable = true;
		this.unreachableSinceNanos = System.nanoTime();
		this.cluster.tracker().unreachable("UNREACHABLE: " + ((failure != null) ? EtcdFailure.oneLine(failure)
				: "no answer"));
		String meanwhile = this.cluster.everListed()
				? "serving the last known instances of " + this.cluster.serviceKeyCount() + " service key(s) and retrying"
				: "its services get instances once it answers; retrying in the background (rpc.etcd.fail-fast=true"
						+ " fails startup instead)";
		logger.warn(this.cluster.cluster() + " is unreachable (listing '" + mirror.prefix() + "': "
				+ ((failure != null) ? EtcdFailure.oneLine(failure) : "no answer") + "); " + meanwhile);
	}

	boolean isUnreachable() {
		return this.unreachable;
	}

	private void reachable() {
		this.probeBackoff.reset();
		if (!this.unreachable) {
			return;
		}
		this.unreachable = false;
		this.cluster.refreshState();
		Duration outage = Duration.ofNanos(System.nanoTime() - this.unreachableSinceNanos);
		logger.info(this.cluster.cluster() + " is reachable again after "
				+ String.format(Locale.ROOT, "%.1f s", outage.toMillis() / 1000.0) + "; reloading what changed"
				+ " meanwhile");
	}

}

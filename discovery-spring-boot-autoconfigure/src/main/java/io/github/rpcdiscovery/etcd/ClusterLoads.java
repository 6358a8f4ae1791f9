package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <li>A batch that etcd refuses (say, no permission on one of its prefixes, or an answer over gRPC's 4 MiB) is
 * split: its prefixes are listed alone, so one refused prefix does not hold the others back. After
 * {@code splitListingRetry} (5 minutes) they are batched again.</li>
 * </ul>
 * Knows what it lists only as a {@link Listable}: the prefix mirrors depend on this schedule, not the other way round.
 * Confined to the cluster executor.
 */
final class ClusterLoads {

	private static final Log logger = LogFactory.getLog(ClusterLoads.class);

	/** A prefix to list, and what to do with the outcome; called on the cluster executor. */
	interface Listable {

		String prefix();

		/** Whether it is closed: no listing any more. */
		boolean isClosed();

		/** The listing arrived. */
		void listed(PrefixListing listing);

		/** etcd refuses to list this prefix (on its own, not because of a batch): its reason in one line. */
		void rejected(String reason);

	}

	private final ClusterContext cluster;

	private final ClusterHealth health;

	private final Deque<Listable> waiting = new ArrayDeque<>();

	private final Set<Listable> queued = new HashSet<>();

	/**
	 * Prefixes etcd refused in a batch (permissions, an answer over gRPC's message size), listed alone until the
	 * {@link System#nanoTime()} given; batched again after that ({@code splitListingRetry}).
	 */
	private final Map<Listable, Long> aloneUntil = new HashMap<>();

	private final Backoff probeBackoff;

	private int inFlight;

	private long unreachableSinceNanos;

	private boolean probeScheduled;

	ClusterLoads(ClusterContext cluster) {
		this.cluster = cluster;
		this.health = cluster.health();
		this.probeBackoff = new Backoff(cluster.settings().initialBackoff(), cluster.settings().maxBackoff());
	}

	/** Lists the prefix as soon as the cluster allows; one already waiting keeps its place. */
	void request(Listable mirror) {
		if (this.queued.add(mirror)) {
			this.waiting.addLast(mirror);
		}
		pump();
	}

	private void pump() {
		if (this.health.isUnreachable()) {
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
		if (this.health.isUnreachable() && this.inFlight == 0 && !this.waiting.isEmpty()) {
			// the channel may sit in gRPC's reconnect back-off far longer than ours (jetcd #1616): let it try now
			EtcdConnections.reconnectNow(this.cluster.client());
			startBatch();
		}
		else {
			pump();
		}
	}

	private void startBatch() {
		List<Listable> batch = nextBatch();
		if (batch.isEmpty()) {
			return;
		}
		this.inFlight++;
		EtcdDiscoverySettings settings = this.cluster.settings();
		List<String> prefixes = batch.stream().map(Listable::prefix).toList();
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

	private List<Listable> nextBatch() {
		List<Listable> batch = new ArrayList<>();
		while (!this.waiting.isEmpty() && batch.size() < this.cluster.settings().batchSize()) {
			Listable next = this.waiting.peekFirst();
			boolean listAlone = listsAlone(next);
			if (listAlone && !batch.isEmpty()) {
				break;
			}
			this.waiting.pollFirst();
			this.queued.remove(next);
			if (next.isClosed()) {
				this.aloneUntil.remove(next);
				continue;
			}
			batch.add(next);
			if (listAlone) {
				break;
			}
		}
		return batch;
	}

	private void finished(List<Listable> batch, @Nullable List<PrefixListing> listings, @Nullable Throwable failure) {
		this.inFlight--;
		Deque<Listable> probeFirst = new ArrayDeque<>();
		for (int i = 0; i < batch.size(); i++) {
			Listable mirror = batch.get(i);
			try {
				if (mirror.isClosed()) {
					// closed meanwhile (a refused metadata mirror is replaced by a new one later)
					this.aloneUntil.remove(mirror);
				}
				else if (listings != null) {
					mirror.listed(listings.get(i));
					reachable();
				}
				else if (failed(mirror, failureOrUnknown(failure), batch.size() == 1)) {
					probeFirst.addFirst(mirror);
				}
			}
			catch (RuntimeException ex) {
				logger.error("Applying the listing of '" + mirror.prefix() + "' failed", ex);
				request(mirror);
			}
		}
		// first in line, in their order: the next probe
		for (Listable mirror : probeFirst) {
			if (this.queued.add(mirror)) {
				this.waiting.addFirst(mirror);
			}
		}
		pump();
	}

	/**
	 * What a failed listing means for the schedule.
	 * @return whether the cluster is unreachable, so the prefix waits for the next probe
	 */
	private boolean failed(Listable mirror, Throwable failure, boolean aloneInItsBatch) {
		this.health.listingFailed(failure);
		EtcdFailure.Kind kind = EtcdFailure.quickKind(failure);
		if (kind == EtcdFailure.Kind.UNREACHABLE || kind == EtcdFailure.Kind.TLS) {
			// the path to etcd, not this prefix: the cluster is unreachable
			unreachable(mirror, failure);
			return true;
		}
		if (kind == EtcdFailure.Kind.COMPACTED) {
			// the pinned revision of a paged listing went away meanwhile: start over at the latest
			request(mirror);
		}
		else if (!aloneInItsBatch) {
			// refused, maybe because of another prefix of the batch: ask again alone before judging
			this.aloneUntil.put(mirror, System.nanoTime() + this.cluster.settings().splitListingRetry().toNanos());
			request(mirror);
		}
		else {
			// retried on its own schedule
			mirror.rejected(EtcdFailure.oneLine(failure));
		}
		return false;
	}

	private boolean listsAlone(Listable mirror) {
		Long until = this.aloneUntil.get(mirror);
		if (until != null && System.nanoTime() - until >= 0) {
			this.aloneUntil.remove(mirror);
			return false;
		}
		return until != null;
	}

	private static Throwable failureOrUnknown(@Nullable Throwable failure) {
		return (failure != null) ? failure : new IllegalStateException("no listing and no failure");
	}

	private void unreachable(Listable mirror, Throwable failure) {
		if (this.health.isUnreachable()) {
			return;
		}
		this.unreachableSinceNanos = System.nanoTime();
		this.health.unreachable(EtcdFailure.oneLine(failure));
		String meanwhile = this.health.everListed()
				? "serving the last known instances of " + this.health.serviceKeys() + " service key(s) and retrying"
				: "its services get instances once it answers; retrying in the background (rpc.etcd.fail-fast=true"
						+ " fails startup instead)";
		logger.warn(this.cluster.cluster() + " is unreachable (listing '" + mirror.prefix() + "': "
				+ EtcdFailure.oneLine(failure) + "); " + meanwhile);
	}

	private void reachable() {
		this.probeBackoff.reset();
		if (!this.health.isUnreachable()) {
			return;
		}
		this.health.reachable();
		Duration outage = Duration.ofNanos(System.nanoTime() - this.unreachableSinceNanos);
		logger.info(this.cluster.cluster() + " is reachable again after "
				+ String.format(Locale.ROOT, "%.1f s", outage.toMillis() / 1000.0) + "; reloading what changed"
				+ " meanwhile");
	}

}

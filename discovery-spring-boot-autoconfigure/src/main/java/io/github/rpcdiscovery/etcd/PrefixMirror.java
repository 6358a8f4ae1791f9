package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory copy of every key under one etcd prefix, kept exact by list-then-watch:
 * <ol>
 * <li>LIST the prefix at a revision R ({@link ClusterLoads} batches listings, {@link PrefixListing} pages big ones)
 * and replace the copy;</li>
 * <li>WATCH from R + 1 (prefix, prevKV, require-leader), applying events in revision order and skipping any at or
 * below the last applied revision (jetcd may redeliver after it resumes a stream by itself);</li>
 * <li>on any error or unrequested close of the watch (reconnect, compaction, no leader): close it, back off with
 * jitter, and LIST again. Listing again, rather than resuming at the last revision + 1, is what converges after etcd
 * came back with a different history (restored on an empty data dir, its revisions start over and a watch "from
 * last + 1" would wait silently for a revision that means something else), and after compaction.</li>
 * </ol>
 * The copy changes only on a successful listing or on events, never because of an error: that is the freeze.
 * <p>
 * Tells its {@link Owner} what changed, and nothing else: data flows from the watch through the mirror to its owner
 * (and on to the catalog), never back. Confined to its cluster's executor: jetcd callbacks only hand their payload
 * over to it (they must never block or throw: they run on Vert.x's event loop, and a throwing listener kills jetcd's
 * watcher silently).
 */
final class PrefixMirror implements ClusterLoads.Listable {

	private static final Log logger = LogFactory.getLog(PrefixMirror.class);

	/** A watch that stayed up this long was healthy: its failure starts the back-off from the beginning. */
	private static final Duration HEALTHY_WATCH = Duration.ofSeconds(10);

	/** Refusals (permissions) do not fix themselves quickly: retry them at this pace at most. */
	private static final Duration MAX_REJECTED_BACKOFF = Duration.ofSeconds(30);

	/** Told about changes of the copy; called on the cluster executor. */
	interface Owner {

		/**
		 * The copy changed.
		 * @param changedKeys the keys that changed by events, or {@code null} after a (re)listing: anything may have
		 */
		void mirrorChanged(PrefixMirror mirror, @Nullable Set<String> changedKeys);

		/**
		 * etcd refused to let us list this prefix (e.g. permissions). The copy is kept; the mirror retries slowly.
		 * @param reason what etcd said
		 * @param firstTime whether this reason is new (log it) or a repetition (do not)
		 */
		void mirrorRejected(PrefixMirror mirror, String reason, boolean firstTime);

	}

	private final String prefix;

	private final ByteSequence prefixBytes;

	private final ClusterContext cluster;

	private final ClusterLoads loads;

	private final Owner owner;

	private final Backoff watchBackoff;

	private final Backoff rejectedBackoff;

	private TreeMap<String, String> entries = new TreeMap<>();

	private NavigableMap<String, String> entriesView = Collections.unmodifiableNavigableMap(this.entries);

	private long revision;

	private boolean loaded;

	private boolean closed;

	/** Grows with each watch started; callbacks of older watches are ignored. */
	private int generation;

	private Watch.@Nullable Watcher watcher;

	private long watchStartedNanos;

	private @Nullable String rejection;

	PrefixMirror(String prefix, ClusterContext cluster, ClusterLoads loads, Owner owner) {
		this.prefix = prefix;
		this.prefixBytes = PrefixListing.bytes(prefix);
		this.cluster = cluster;
		this.loads = loads;
		this.owner = owner;
		EtcdDiscoverySettings settings = cluster.settings();
		this.watchBackoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
		this.rejectedBackoff = new Backoff(settings.initialBackoff(), MAX_REJECTED_BACKOFF);
	}

	@Override
	public String prefix() {
		return this.prefix;
	}

	/** Key to value, sorted by key; read-only, valid until the next change. */
	NavigableMap<String, String> entries() {
		return this.entriesView;
	}

	/** The etcd revision the copy is exact at (at least). */
	long revision() {
		return this.revision;
	}

	/** Whether a listing ever succeeded. */
	boolean isLoaded() {
		return this.loaded;
	}

	@Override
	public boolean isClosed() {
		return this.closed;
	}

	/** Asks for a listing; {@link ClusterLoads} decides when. */
	void start() {
		this.loads.request(this);
	}

	/** A listing arrived (on the cluster executor): replace the copy and watch from there. */
	@Override
	public void listed(PrefixListing listing) {
		if (this.rejection != null) {
			logger.info("etcd prefix '" + this.prefix + "' can be read again");
			this.rejection = null;
		}
		this.rejectedBackoff.reset();
		this.entries = listing.entries();
		this.entriesView = Collections.unmodifiableNavigableMap(this.entries);
		this.revision = listing.revision();
		this.loaded = true;
		watchFrom(listing.revision() + 1);
		this.cluster.health().listed(this, listing.revision());
		this.owner.mirrorChanged(this, null);
	}

	/** etcd refuses to list this prefix (on the cluster executor): keep the copy, list again slowly. */
	@Override
	public void rejected(String reason) {
		boolean firstTime = !reason.equals(this.rejection);
		this.rejection = reason;
		this.cluster.health().rejected(this, reason);
		listAgainIn(this.rejectedBackoff.next());
		this.owner.mirrorRejected(this, reason, firstTime);
	}

	private void watchFrom(long startRevision) {
		closeWatcher();
		int watchGeneration = ++this.generation;
		WatchOption option = WatchOption.builder()
			.isPrefix(true)
			.withPrevKV(true)
			.withRequireLeader(true)
			.withRevision(startRevision)
			.build();
		this.watchStartedNanos = System.nanoTime();
		try {
			this.watcher = this.cluster.client()
				.getWatchClient()
				.watch(this.prefixBytes, option, new Listener(watchGeneration));
		}
		catch (RuntimeException ex) {
			watchFailed(watchGeneration, ex);
		}
	}

	private void apply(int watchGeneration, WatchResponse response, long arrivedNanos) {
		if (watchGeneration != this.generation || this.closed) {
			return;
		}
		long appliedUpTo = this.revision;
		long newest = this.revision;
		Set<String> changed = null;
		int applied = 0;
		for (WatchEvent event : response.getEvents()) {
			KeyValue keyValue = event.getKeyValue();
			long modRevision = keyValue.getModRevision();
			if (modRevision <= appliedUpTo) {
				continue;
			}
			newest = Math.max(newest, modRevision);
			applied++;
			String key = PrefixListing.text(keyValue.getKey());
			boolean keyChanged = switch (event.getEventType()) {
				case PUT -> {
					String value = PrefixListing.text(keyValue.getValue());
					yield !value.equals(this.entries.put(key, value));
				}
				case DELETE -> this.entries.remove(key) != null;
				default -> false;
			};
			if (keyChanged) {
				changed = (changed != null) ? changed : new HashSet<>();
				changed.add(key);
			}
		}
		this.revision = newest;
		if (applied > 0) {
			this.cluster.health().eventsApplied(applied, newest);
		}
		if (changed != null) {
			this.owner.mirrorChanged(this, changed);
			// the catalog listeners ran inside: this is the time from etcd's event to the updated catalog
			this.cluster.health().propagated(System.nanoTime() - arrivedNanos);
		}
	}

	private void watchFailed(int watchGeneration, @Nullable Throwable failure) {
		if (watchGeneration != this.generation || this.closed) {
			return;
		}
		this.generation++;
		closeWatcher();
		if (System.nanoTime() - this.watchStartedNanos > HEALTHY_WATCH.toNanos()) {
			this.watchBackoff.reset();
		}
		Duration delay = this.watchBackoff.next();
		if (logger.isDebugEnabled()) {
			logger.debug("Watch of etcd prefix '" + this.prefix + "' ended at revision " + this.revision + " ("
					+ ((failure != null) ? EtcdFailure.oneLine(failure) : "closed by etcd") + "); listing again in "
					+ delay.toMillis() + " ms");
		}
		listAgainIn(delay);
	}

	private void listAgainIn(Duration delay) {
		this.cluster.schedule(() -> {
			if (!this.closed) {
				this.loads.request(this);
			}
		}, delay);
	}

	private void closeWatcher() {
		Watch.Watcher current = this.watcher;
		this.watcher = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing a watch of '" + this.prefix + "' failed", ex);
			}
		}
	}

	void close() {
		this.closed = true;
		this.generation++;
		closeWatcher();
		this.cluster.health().closed(this);
	}

	@Override
	public String toString() {
		return "etcd prefix '" + this.prefix + "' at revision " + this.revision;
	}

	/** Hands jetcd's callbacks over to the cluster executor; never blocks, never throws. */
	private final class Listener implements Watch.Listener {

		private final int watchGeneration;

		Listener(int watchGeneration) {
			this.watchGeneration = watchGeneration;
		}

		@Override
		public void onNext(WatchResponse response) {
			long arrived = System.nanoTime();
			PrefixMirror.this.cluster.execute(() -> apply(this.watchGeneration, response, arrived), null);
		}

		@Override
		public void onError(Throwable failure) {
			PrefixMirror.this.cluster.execute(() -> watchFailed(this.watchGeneration, failure), null);
		}

		@Override
		public void onCompleted() {
			PrefixMirror.this.cluster.execute(() -> watchFailed(this.watchGeneration, null), null);
		}

	}

}

package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceEnumeration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Every service key of one etcd cluster that holds a live go-zero entry: a key {@code <key>/<decimal id>} attached to
 * a lease, as go-zero servers and this starter's registrations write them. What {@code getServices()} lists.
 * <p>
 * List, then watch, over the whole keyspace or {@link EtcdServicesSettings#prefix()}: a keys-only listing (etcd sends
 * each key with its lease, no value), paged at one revision, then one watch from the next revision with the previous
 * entry of each event (so a delete says whether the key was a live entry). Memory holds one count of live entries per
 * service key, never keys or values, at most {@link EtcdServicesSettings#maxServices()} of them (one WARN beyond).
 * An event whose previous entry etcd could not give (compacted) and any end of the watch lead to a new listing, after a
 * jittered back-off; compaction is handled the same way. While etcd is unreachable the last names are kept.
 * <p>
 * Started by the first enumeration and kept until the cluster's discovery closes. Confined to the cluster executor;
 * jetcd callbacks only hand over to it.
 * <p>
 * Longer than most classes here: listing, watching and their failures are one state machine on one generation
 * counter and one back-off; split, the parts would have to share all of it.
 */
final class ServiceKeyIndex implements ServiceEnumeration {

	private static final Log logger = LogFactory.getLog(ServiceKeyIndex.class);

	private static final ByteSequence ZERO_BYTE = ByteSequence.from(new byte[] { 0 });

	/** A watch that stayed up this long was healthy: its end starts the back-off from the beginning. */
	private static final Duration HEALTHY_WATCH = Duration.ofSeconds(10);

	/** Refusals (permissions) do not fix themselves quickly: retry them at this pace at most. */
	private static final Duration MAX_REFUSED_BACKOFF = Duration.ofSeconds(30);

	/** At most this many names in an INFO line. */
	private static final int NAMES_LOGGED = 10;

	private final ClusterContext cluster;

	private final ServiceCatalog catalog;

	private final EtcdServicesSettings settings;

	private final ByteSequence rangeStart;

	private final ByteSequence rangeEnd;

	private final Backoff backoff;

	private final Backoff refusedBackoff;

	private final CompletableFuture<Void> firstListing = new CompletableFuture<>();

	private volatile @Nullable Set<String> names;

	private Map<String, Integer> liveEntries = new HashMap<>();

	private long revision;

	/** Grows with each listing or watch started; callbacks of older ones are ignored. */
	private int generation;

	private Watch.@Nullable Watcher watcher;

	private long watchStartedNanos;

	private @Nullable String outage;

	private boolean capWarned;

	private boolean closed;

	ServiceKeyIndex(ClusterContext cluster, ServiceCatalog catalog, EtcdServicesSettings settings) {
		this.cluster = cluster;
		this.catalog = catalog;
		this.settings = settings;
		// the whole keyspace is the range ["\0", "\0"): etcd reads an end of "\0" as "every key from the start on"
		this.rangeStart = settings.prefix().isEmpty() ? ZERO_BYTE : PrefixListing.bytes(settings.prefix());
		this.rangeEnd = settings.prefix().isEmpty() ? ZERO_BYTE : OptionsUtil.prefixEndOf(this.rangeStart);
		EtcdDiscoverySettings timings = cluster.settings();
		this.backoff = new Backoff(timings.initialBackoff(), timings.maxBackoff());
		this.refusedBackoff = new Backoff(timings.initialBackoff(), MAX_REFUSED_BACKOFF);
	}

	@Override
	public @Nullable Set<String> names() {
		return this.names;
	}

	@Override
	public CompletableFuture<Void> firstListing() {
		return this.firstListing;
	}

	void start() {
		this.cluster.execute(this::list, () -> this.firstListing.complete(null));
	}

	private void list() {
		if (this.closed) {
			return;
		}
		int listGeneration = ++this.generation;
		closeWatcher();
		EtcdDiscoverySettings timings = this.cluster.settings();
		LiveEntryListing.read(this.cluster.client().getKVClient(), this.rangeStart, this.rangeEnd, timings.pageSize(),
				timings.requestTimeout(), this.settings.maxServices())
			.whenComplete((listing, failure) -> this.cluster.execute(() -> {
				if (failure == null) {
					listed(listGeneration, listing);
				}
				else {
					listFailed(listGeneration, failure);
				}
			}, null));
	}

	private void listed(int listGeneration, LiveEntryListing listing) {
		if (listGeneration != this.generation || this.closed) {
			return;
		}
		if (this.outage != null) {
			logger.info("The services of " + this.cluster.cluster() + " can be listed again");
			this.outage = null;
		}
		this.refusedBackoff.reset();
		this.liveEntries = listing.counts();
		this.revision = listing.revision();
		if (listing.leftOut()) {
			warnCap();
		}
		publish("listed at revision " + listing.revision());
		this.firstListing.complete(null);
		watchFrom(listing.revision() + 1);
	}

	private void listFailed(int listGeneration, Throwable failure) {
		if (listGeneration != this.generation || this.closed) {
			return;
		}
		EtcdFailure.Kind kind = EtcdFailure.quickKind(failure);
		boolean refused = kind == EtcdFailure.Kind.PERMISSION || kind == EtcdFailure.Kind.AUTHENTICATION
				|| kind == EtcdFailure.Kind.TLS;
		if (this.outage == null) {
			this.outage = EtcdFailure.oneLine(failure);
			Set<String> known = this.names;
			String keeping = (known != null) ? "getServices() keeps the " + known.size() + " services known"
					: "getServices() lists the services looked up until it can";
			logger.warn((refused ? this.cluster.cluster() + " refuses to list the service keys of "
					+ (this.settings.prefix().isEmpty() ? "the whole keyspace" : "'" + this.settings.prefix() + "'")
					+ " (" + this.outage + "); " + keeping
					+ ". Grant read on that range, or set rpc.etcd.discovery.services-prefix to a prefix that may be"
					+ " read" : "Could not list the services of " + this.cluster.cluster() + " (" + this.outage + "); "
							+ keeping + " and retries"));
		}
		this.firstListing.complete(null);
		listAgainIn(refused ? this.refusedBackoff.next() : this.backoff.next());
	}

	private void watchFrom(long startRevision) {
		int watchGeneration = ++this.generation;
		WatchOption option = WatchOption.builder()
			.withRange(this.rangeEnd)
			.withPrevKV(true)
			.withRequireLeader(true)
			.withRevision(startRevision)
			.build();
		this.watchStartedNanos = System.nanoTime();
		try {
			this.watcher = this.cluster.client()
				.getWatchClient()
				.watch(this.rangeStart, option, new Listener(watchGeneration));
		}
		catch (RuntimeException ex) {
			watchEnded(watchGeneration, ex);
		}
	}

	private void apply(int watchGeneration, WatchResponse response) {
		if (watchGeneration != this.generation || this.closed) {
			return;
		}
		boolean setChanged = false;
		// the events of one revision (a revoked lease deletes all its keys at once) share a mod revision
		long appliedUpTo = this.revision;
		for (WatchEvent event : response.getEvents()) {
			KeyValue entry = event.getKeyValue();
			if (entry.getModRevision() <= appliedUpTo) {
				// redelivered after jetcd resumed the stream by itself
				continue;
			}
			this.revision = Math.max(this.revision, entry.getModRevision());
			String service = LiveEntryListing.serviceKeyOf(PrefixListing.text(entry.getKey()));
			if (service == null) {
				continue;
			}
			Boolean wasLive = wasLive(event);
			if (wasLive == null) {
				// etcd could not say what the key was (its history is compacted): only a listing can tell
				logger.debug("An event of " + this.cluster.cluster() + " came without its previous entry; listing again");
				list();
				return;
			}
			boolean isLive = event.getEventType() == WatchEvent.EventType.PUT && entry.getLease() != 0;
			int delta = (isLive ? 1 : 0) - (wasLive ? 1 : 0);
			if (delta != 0) {
				setChanged |= adjust(service, delta);
			}
		}
		if (setChanged) {
			publish("event at revision " + this.revision);
		}
	}

	/** Whether the key was a live entry before the event; {@code null} if etcd did not say. */
	private static @Nullable Boolean wasLive(WatchEvent event) {
		KeyValue previous = event.getPrevKV();
		if (previous.getModRevision() != 0) {
			return previous.getLease() != 0;
		}
		if (event.getEventType() == WatchEvent.EventType.PUT && event.getKeyValue().getVersion() == 1) {
			// created by this event: it was nothing before
			return false;
		}
		return null;
	}

	/** @return whether the set of service keys changed */
	private boolean adjust(String service, int delta) {
		Integer count = this.liveEntries.get(service);
		if (count == null) {
			if (delta < 0) {
				// an entry of a key left out over the cap
				return false;
			}
			if (this.liveEntries.size() >= this.settings.maxServices()) {
				warnCap();
				return false;
			}
			this.liveEntries.put(service, delta);
			return true;
		}
		int now = count + delta;
		if (now <= 0) {
			this.liveEntries.remove(service);
			return true;
		}
		this.liveEntries.put(service, now);
		return false;
	}

	private void warnCap() {
		if (!this.capWarned) {
			this.capWarned = true;
			logger.warn(this.cluster.cluster() + " holds more than " + this.settings.maxServices()
					+ " service keys; getServices() lists " + this.settings.maxServices()
					+ " of them. Raise rpc.etcd.discovery.max-services, or narrow"
					+ " rpc.etcd.discovery.services-prefix");
		}
	}

	/** Publishes the current names if they differ from the last published: one INFO line, one catalog signal. */
	private void publish(String origin) {
		Set<String> before = this.names;
		Set<String> now = Set.copyOf(this.liveEntries.keySet());
		if (now.equals(before)) {
			return;
		}
		this.names = now;
		if (logger.isInfoEnabled()) {
			StringBuilder line = new StringBuilder("Services in ").append(this.cluster.cluster())
				.append(": ")
				.append(now.size())
				.append(" (")
				.append((before == null) ? "first listing" : "was " + before.size())
				.append(", ")
				.append(origin)
				.append(")");
			if (before != null) {
				appendNames(line, " added ", difference(now, before));
				appendNames(line, " removed ", difference(before, now));
			}
			logger.info(line);
		}
		this.catalog.servicesChanged();
	}

	private static Set<String> difference(Set<String> from, Set<String> without) {
		Set<String> result = new TreeSet<>(from);
		result.removeAll(without);
		return result;
	}

	private static void appendNames(StringBuilder line, String label, Set<String> names) {
		if (names.isEmpty()) {
			return;
		}
		line.append(label).append(names.stream().limit(NAMES_LOGGED).toList());
		if (names.size() > NAMES_LOGGED) {
			line.append(" and ").append(names.size() - NAMES_LOGGED).append(" more");
		}
	}

	private void watchEnded(int watchGeneration, @Nullable Throwable failure) {
		if (watchGeneration != this.generation || this.closed) {
			return;
		}
		this.generation++;
		closeWatcher();
		if (System.nanoTime() - this.watchStartedNanos > HEALTHY_WATCH.toNanos()) {
			this.backoff.reset();
		}
		Duration delay = this.backoff.next();
		if (logger.isDebugEnabled()) {
			logger.debug("The watch of the services of " + this.cluster.cluster() + " ended at revision "
					+ this.revision + " (" + ((failure != null) ? EtcdFailure.oneLine(failure) : "closed by etcd")
					+ "); listing again in " + delay.toMillis() + " ms");
		}
		listAgainIn(delay);
	}

	private void listAgainIn(Duration delay) {
		this.cluster.schedule(this::list, delay);
	}

	private void closeWatcher() {
		Watch.Watcher current = this.watcher;
		this.watcher = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing the watch of the services of " + this.cluster.cluster() + " failed", ex);
			}
		}
	}

	/** On the cluster executor. */
	void close() {
		this.closed = true;
		this.generation++;
		closeWatcher();
		this.firstListing.complete(null);
	}

	/** Hands jetcd's callbacks over to the cluster executor; never blocks, never throws. */
	private final class Listener implements Watch.Listener {

		private final int watchGeneration;

		Listener(int watchGeneration) {
			this.watchGeneration = watchGeneration;
		}

		@Override
		public void onNext(WatchResponse response) {
			ServiceKeyIndex.this.cluster.execute(() -> apply(this.watchGeneration, response), null);
		}

		@Override
		public void onError(Throwable failure) {
			ServiceKeyIndex.this.cluster.execute(() -> watchEnded(this.watchGeneration, failure), null);
		}

		@Override
		public void onCompleted() {
			ServiceKeyIndex.this.cluster.execute(() -> watchEnded(this.watchGeneration, null), null);
		}

	}

}

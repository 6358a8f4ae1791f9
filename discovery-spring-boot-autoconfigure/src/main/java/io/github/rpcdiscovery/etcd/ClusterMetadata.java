package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The instance metadata of a whole cluster, from one list-and-watch of {@code _rpc-meta/} rather than one per service
 * key: half the watch streams, half the listings. Only this library writes under {@code _rpc-meta/}, so the extra
 * entries it brings in (metadata of services this client does not call) are few and small.
 * <p>
 * etcd auth may not allow it: a role granted {@code user.rpc/} and {@code _rpc-meta/user.rpc/} cannot read
 * {@code _rpc-meta/} as a whole, and a big {@code _rpc-meta/} may not fit into one response (RESOURCE_EXHAUSTED). If
 * the first listing is refused, the cluster switches to one metadata watch per service key ({@link Mode#PER_KEY}) and
 * tries the shared listing again every {@code splitListingRetry} (5 minutes by default, one refused read each time):
 * once it succeeds, the cluster is back to one watch.
 * <p>
 * Tells the service keys that {@link #subscribe subscribed} about changes through {@link Subscriber}; it does not
 * know who they are. Confined to the cluster executor.
 */
final class ClusterMetadata implements PrefixMirror.Owner {

	private static final Log logger = LogFactory.getLog(ClusterMetadata.class);

	enum Mode {

		/** Not known yet: the first listing of {@code _rpc-meta/} has not answered. */
		PENDING,

		/** One mirror of {@code _rpc-meta/} serves every service key. */
		SHARED,

		/** Each service key mirrors its own {@code _rpc-meta/<key>/}. */
		PER_KEY

	}

	/** A service key's side of the shared metadata; called on the cluster executor. */
	interface Subscriber {

		/** The shared metadata of this key may have changed. */
		void metadataChanged();

		/** The cluster cannot share its metadata mirror now: read the key's own. */
		void useOwnMetadata();

		/** The cluster shares its metadata mirror again: drop the key's own. */
		void useSharedMetadata();

	}

	private final ClusterContext cluster;

	private final ClusterLoads loads;

	/** service key → its subscriber */
	private final Map<String, Subscriber> subscribers = new HashMap<>();

	/** The mirror of {@code _rpc-meta/}: a new one for each try of the shared listing. */
	private PrefixMirror mirror;

	private Mode mode = Mode.PENDING;

	private boolean started;

	private boolean closed;

	ClusterMetadata(ClusterContext cluster, ClusterLoads loads) {
		this.cluster = cluster;
		this.loads = loads;
		this.mirror = new PrefixMirror(InstanceMetadataCodec.ROOT, cluster, loads, this);
	}

	/** Tells {@code subscriber} about the metadata of {@code key} from now on. */
	void subscribe(String key, Subscriber subscriber) {
		this.subscribers.put(key, subscriber);
	}

	void unsubscribe(String key) {
		this.subscribers.remove(key);
	}

	void start() {
		if (!this.started) {
			this.started = true;
			this.mirror.start();
		}
	}

	Mode mode() {
		return this.mode;
	}

	/** In {@link Mode#SHARED}: the metadata entries of one service key, a read-only view. */
	NavigableMap<String, String> entriesOf(String key) {
		if (this.mode != Mode.SHARED) {
			return Collections.emptyNavigableMap();
		}
		String prefix = InstanceMetadataCodec.metadataPrefix(key);
		// the prefix ends with '/': every key under it sorts before the same text ending with '0' instead
		String end = prefix.substring(0, prefix.length() - 1) + '0';
		return this.mirror.entries().subMap(prefix, true, end, false);
	}

	long revision() {
		return this.mirror.revision();
	}

	@Override
	public void mirrorChanged(PrefixMirror changed, @Nullable Set<String> changedKeys) {
		if (changed != this.mirror) {
			return;
		}
		if (this.mode == Mode.PER_KEY) {
			this.mode = Mode.SHARED;
			logger.info(this.cluster.cluster() + " lets this client list '" + InstanceMetadataCodec.ROOT
					+ "' again; one watch serves the instance metadata of every service key again");
			List.copyOf(this.subscribers.values()).forEach(Subscriber::useSharedMetadata);
			return;
		}
		if (this.mode == Mode.PENDING || changedKeys == null) {
			this.mode = Mode.SHARED;
			List.copyOf(this.subscribers.values()).forEach(Subscriber::metadataChanged);
			return;
		}
		Set<Subscriber> affected = new LinkedHashSet<>();
		for (String metadataKey : changedKeys) {
			// _rpc-meta/a/b/1 belongs to key a/b, and also to key a (whose prefix a/ covers a/b/1, as in go-zero)
			String rest = metadataKey.substring(InstanceMetadataCodec.ROOT.length());
			for (int slash = rest.indexOf('/'); slash >= 0; slash = rest.indexOf('/', slash + 1)) {
				Subscriber watcher = this.subscribers.get(rest.substring(0, slash));
				if (watcher != null) {
					affected.add(watcher);
				}
			}
		}
		affected.forEach(Subscriber::metadataChanged);
	}

	@Override
	public void mirrorRejected(PrefixMirror rejected, String reason, boolean firstTime) {
		if (rejected != this.mirror) {
			return;
		}
		if (this.mode == Mode.SHARED) {
			if (firstTime) {
				logger.warn(this.cluster.cluster() + " refuses to list '" + InstanceMetadataCodec.ROOT + "' (" + reason
						+ "); keeping the metadata read before and retrying");
			}
			return;
		}
		this.mirror.close();
		Duration retry = this.cluster.settings().splitListingRetry();
		if (this.mode == Mode.PENDING) {
			this.mode = Mode.PER_KEY;
			logger.info(this.cluster.cluster() + " does not let this client list '" + InstanceMetadataCodec.ROOT
					+ "' (" + reason + "); reading instance metadata per service key instead, and listing '"
					+ InstanceMetadataCodec.ROOT + "' again every " + retry.toSeconds() + " s");
			List.copyOf(this.subscribers.values()).forEach(Subscriber::useOwnMetadata);
		}
		this.cluster.schedule(this::retryShared, retry);
	}

	/** In {@link Mode#PER_KEY}: tries the shared listing again, with a new mirror. */
	private void retryShared() {
		if (this.closed || this.mode != Mode.PER_KEY) {
			return;
		}
		this.mirror = new PrefixMirror(InstanceMetadataCodec.ROOT, this.cluster, this.loads, this);
		this.mirror.start();
	}

	void close() {
		this.closed = true;
		this.mirror.close();
	}

}

package io.github.rpcdiscovery.etcd;

import java.util.HashMap;
import java.util.Map;

import io.github.rpcdiscovery.status.ConnectionTracker;
import org.jspecify.annotations.Nullable;

/**
 * What is known about a cluster's connection, from what its listings and watches report: the newest revision read,
 * whether it is unreachable, which prefixes etcd refuses, the last failure. Reports it to the
 * {@link ConnectionTracker} (actuator, health, metrics). Written on the cluster executor; {@link #lastFailure()} is
 * read anywhere.
 */
final class ClusterHealth {

	private final ConnectionTracker tracker;

	/** Prefix mirrors etcd refuses to list now (permissions), with etcd's reason. */
	private final Map<Object, String> rejected = new HashMap<>();

	/** The newest revision any prefix of this cluster was read at. */
	private long newestRevision;

	private boolean unreachable;

	/** The number of service keys watched, for the log line of an outage. */
	private int serviceKeys;

	/** What went wrong last (unreachable, refused), for the startup check; cleared once a listing succeeds. */
	private volatile @Nullable Throwable lastFailure;

	ClusterHealth(ConnectionTracker tracker) {
		this.tracker = tracker;
	}

	/** A prefix was listed at {@code revision}. */
	void listed(Object prefix, long revision) {
		this.rejected.remove(prefix);
		this.lastFailure = null;
		this.newestRevision = Math.max(this.newestRevision, revision);
		this.tracker.listed("etcd revision " + this.newestRevision);
		refresh();
	}

	/** Watch events of a prefix were applied, up to {@code revision}. */
	void eventsApplied(int count, long revision) {
		this.newestRevision = Math.max(this.newestRevision, revision);
		this.tracker.eventsApplied(count, "etcd revision " + this.newestRevision);
	}

	/** Watch events reached the catalog {@code nanos} after they arrived. */
	void propagated(long nanos) {
		this.tracker.propagated(nanos);
	}

	void listingFailed(Throwable failure) {
		this.lastFailure = failure;
	}

	/** The last failure to list, or {@code null} if the last listing succeeded. */
	@Nullable Throwable lastFailure() {
		return this.lastFailure;
	}

	/** Whether any prefix of this cluster was ever listed. */
	boolean everListed() {
		return this.newestRevision > 0;
	}

	/** etcd refuses to list a prefix. */
	void rejected(Object prefix, String reason) {
		this.rejected.put(prefix, reason);
		refresh();
	}

	/** A prefix is no longer watched. */
	void closed(Object prefix) {
		if (this.rejected.remove(prefix) != null) {
			refresh();
		}
	}

	void unreachable(String description) {
		this.unreachable = true;
		this.tracker.unreachable("UNREACHABLE: " + description);
	}

	void reachable() {
		this.unreachable = false;
		refresh();
	}

	boolean isUnreachable() {
		return this.unreachable;
	}

	void serviceKeys(int count) {
		this.serviceKeys = count;
	}

	int serviceKeys() {
		return this.serviceKeys;
	}

	private void refresh() {
		if (this.unreachable) {
			return;
		}
		if (!this.rejected.isEmpty()) {
			this.tracker.denied("REJECTED: " + this.rejected.values().iterator().next());
		}
		else if (this.newestRevision > 0) {
			this.tracker.connected();
		}
	}

	void close() {
		this.tracker.close();
	}

}

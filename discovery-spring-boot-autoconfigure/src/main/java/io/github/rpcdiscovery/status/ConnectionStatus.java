package io.github.rpcdiscovery.status;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One registry connection at one moment: an etcd cluster, or a watched Kubernetes Service. Never holds a credential.
 *
 * @param source the discovery source: {@code etcd} or {@code kubernetes}
 * @param name the connection: the etcd hosts ({@code 127.0.0.1:2379,127.0.0.1:22379}) or {@code namespace/service}
 * @param state how it is doing
 * @param since when it entered that state
 * @param position how far the view has read: {@code etcd revision 42}, {@code resourceVersion 1234}; {@code null}
 * before the first listing
 * @param lastSync when the view was last known to be exact (a listing or a watch event arrived, or now while
 * connected); {@code null} if never
 * @param lastError the kind of the last failure (e.g. {@code UNREACHABLE: connection refused}), or {@code null}
 * @param watchEvents watch events applied since startup
 * @param relists complete listings since startup (the first one included)
 */
public record ConnectionStatus(String source, String name, ConnectionState state, Instant since,
		@Nullable String position, @Nullable Instant lastSync, @Nullable String lastError, long watchEvents,
		long relists) {

	/**
	 * How old the view may be: zero while connected, else the time since the last sync (or since the state began if
	 * it never synced).
	 */
	public Duration staleness(Instant now) {
		if (this.state == ConnectionState.CONNECTED) {
			return Duration.ZERO;
		}
		Instant from = (this.lastSync != null) ? this.lastSync : this.since;
		return now.isAfter(from) ? Duration.between(from, now) : Duration.ZERO;
	}

	/** Whether the instances are served from a view that cannot be refreshed now (unreachable or denied). */
	public boolean isFrozen() {
		return this.state == ConnectionState.UNREACHABLE || this.state == ConnectionState.DENIED;
	}

}

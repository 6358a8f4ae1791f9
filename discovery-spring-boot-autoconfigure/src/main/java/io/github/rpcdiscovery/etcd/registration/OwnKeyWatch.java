package io.github.rpcdiscovery.etcd.registration;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Watches a registration's own keys (the instance key and its metadata key) so that a deletion by someone else while
 * the lease lives is noticed and put right at once (go-zero does the same). Reports only; the {@link LeaseKeeper}
 * decides what to do, on its own thread. Never blocks or throws in jetcd's callbacks.
 */
final class OwnKeyWatch implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(OwnKeyWatch.class);

	/** What the watch reports. Called on jetcd's threads: implementations only hand work over. */
	interface Listener {

		/** One of the keys was deleted or written by another lease. */
		void keyChanged(String what);

		/** The watch ended for good (history compacted, watcher closed): it must be re-created. */
		void watchEnded(String why);

	}

	private final List<Watch.Watcher> watchers;

	/**
	 * Starts watching.
	 * @param fromRevision the revision after the registration's own write, so nothing between it and now is missed
	 */
	OwnKeyWatch(Watch watch, List<String> keys, long leaseId, long fromRevision, Listener listener) {
		WatchOption option = WatchOption.builder().withRevision(fromRevision).build();
		this.watchers = keys.stream()
			.map((key) -> watch.watch(bytes(key), option, new KeyListener(key, leaseId, listener)))
			.toList();
	}

	@Override
	public void close() {
		for (Watch.Watcher watcher : this.watchers) {
			try {
				watcher.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing a watcher failed", ex);
			}
		}
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private record KeyListener(String key, long leaseId, Listener listener) implements Watch.Listener {

		@Override
		public void onNext(WatchResponse response) {
			try {
				for (WatchEvent event : response.getEvents()) {
					KeyValue kv = event.getKeyValue();
					if (event.getEventType() == WatchEvent.EventType.DELETE) {
						this.listener.keyChanged(this.key + " was deleted");
					}
					else if (event.getEventType() == WatchEvent.EventType.PUT && kv.getLease() != this.leaseId) {
						this.listener.keyChanged(this.key + " was overwritten on lease " + ActiveLease.hex(kv.getLease()));
					}
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Ignoring a watch event of " + this.key, ex);
			}
		}

		@Override
		public void onError(Throwable error) {
			try {
				if (error instanceof CompactedException) {
					this.listener.watchEnded("the history of " + this.key + " was compacted");
				}
				else {
					// jetcd resumes the watch by itself after stream errors
					logger.debug("Watch of " + this.key + " interrupted: " + error.getMessage());
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Ignoring a watch error of " + this.key, ex);
			}
		}

		@Override
		public void onCompleted() {
			try {
				this.listener.watchEnded("the watch of " + this.key + " was closed");
			}
			catch (RuntimeException ex) {
				logger.debug("Ignoring the end of the watch of " + this.key, ex);
			}
		}

	}

}

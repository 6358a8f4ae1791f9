package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

import io.etcd.jetcd.Watch;
import io.github.rpcdiscovery.etcd.Backoff;
import org.jspecify.annotations.Nullable;

/**
 * Keeps one {@link OwnKeyWatch} on the current lease's keys, so that a deletion by someone else is put right at once,
 * and re-creates it when it ends (history compacted, a halting stream error): at once if it had run for a while, else
 * after a back-off, so a watch that etcd ends again and again is retried at a bounded rate, never in a loop. Runs on
 * the registration's thread only.
 */
final class OwnKeyWatcher {

	private final Watch watches;

	private final LeaseClock clock;

	private final Duration ttl;

	private final RegistrationLoop loop;

	/** Spaces out re-creations of a watch that keeps ending soon after it was opened (a halting error each time). */
	private final Backoff restarts;

	private @Nullable OwnKeyWatch watch;

	private boolean ended;

	/**
	 * Which watch is current. Closing a watch makes jetcd report its end, sometimes at once and sometimes after its
	 * replacement was opened, within the same lease generation: only the current watch's reports count, or every
	 * replacement would end itself in a loop of Watch requests.
	 */
	private long current;

	private long opened;

	private long openedNanos;

	private @Nullable ScheduledFuture<?> restart;

	OwnKeyWatcher(Watch watches, LeaseClock clock, Duration ttl, RegistrationLoop loop) {
		this.watches = watches;
		this.clock = clock;
		this.ttl = ttl;
		this.loop = loop;
		this.restarts = Backoff.forLease(ttl);
	}

	/**
	 * Watches the lease's keys from a revision on, in place of any watch before.
	 * @param fromRevision the revision after the registration's own write (or read), so nothing since is missed
	 * @param stillAttached whether the lease is still the one attached: reports about an older lease are ignored
	 */
	void open(ActiveLease lease, long fromRevision, BooleanSupplier stillAttached) {
		close();
		long watchId = ++this.opened;
		this.current = watchId;
		this.openedNanos = this.clock.nanoTime();
		this.ended = false;
		this.watch = new OwnKeyWatch(this.watches, List.of(lease.key(), lease.metadataKey()), lease.id(), fromRevision,
				new OwnKeyWatch.Listener() {

					@Override
					public void keyChanged(String what) {
						OwnKeyWatcher.this.loop.post(what, () -> isCurrent(stillAttached, watchId));
					}

					@Override
					public void watchEnded(String why) {
						OwnKeyWatcher.this.loop.post(why, () -> {
							if (!isCurrent(stillAttached, watchId)) {
								return false;
							}
							OwnKeyWatcher.this.ended = true;
							return true;
						});
					}

				});
	}

	private boolean isCurrent(BooleanSupplier stillAttached, long watchId) {
		return stillAttached.getAsBoolean() && watchId == this.current;
	}

	/** The current watch ended and was not re-created yet. */
	boolean ended() {
		return this.ended;
	}

	/**
	 * Re-creates the watch that ended: at once if it had run for a TTL or more; else the registration is reconciled
	 * again after a back-off (the keys are read again first, so whatever changed while no watch ran is put right).
	 */
	void restart(ActiveLease lease, long fromRevision, BooleanSupplier stillAttached) {
		if (this.restart != null) {
			return;
		}
		boolean endedSoon = this.clock.nanoTime() - this.openedNanos < this.ttl.toNanos();
		if (!endedSoon) {
			this.restarts.reset();
			open(lease, fromRevision, stillAttached);
			return;
		}
		this.restart = this.loop.schedule(() -> this.loop.post("re-creating the watch of its own keys", () -> {
			this.restart = null;
			return stillAttached.getAsBoolean() && this.ended;
		}), this.restarts.next());
	}

	/** Stops watching; a pending re-creation is cancelled. */
	void close() {
		this.current = 0;
		if (this.restart != null) {
			this.restart.cancel(false);
			this.restart = null;
		}
		if (this.watch != null) {
			this.watch.close();
			this.watch = null;
		}
	}

	/** The lease was detached: nothing of its watch is pending any more. */
	void detach() {
		close();
		this.ended = false;
	}

}

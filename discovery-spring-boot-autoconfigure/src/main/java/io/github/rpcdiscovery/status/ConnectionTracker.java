package io.github.rpcdiscovery.status;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The live state of one registry connection, written by its source (from any thread) and read by the actuator
 * endpoint, the health indicators and the metrics. Each transition is cheap and idempotent: a source may report the
 * same state as often as it likes, {@code since} changes only when the state does.
 */
public final class ConnectionTracker {

	private final RegistryConnections owner;

	private final String name;

	private final Clock clock;

	private final LongAdder watchEvents = new LongAdder();

	private final LongAdder relists = new LongAdder();

	private volatile Phase phase;

	private volatile @Nullable String position;

	private volatile @Nullable Instant lastSync;

	private volatile @Nullable String lastError;

	ConnectionTracker(RegistryConnections owner, String name, Clock clock) {
		this.owner = owner;
		this.name = name;
		this.clock = clock;
		this.phase = new Phase(ConnectionState.CONNECTING, clock.instant());
	}

	public String source() {
		return this.owner.source();
	}

	public String name() {
		return this.name;
	}

	public ConnectionState state() {
		return this.phase.state();
	}

	/** A complete listing succeeded: the view is exact at {@code position}. The state is the source's to set. */
	public void listed(String position) {
		this.position = position;
		this.lastSync = this.clock.instant();
		this.relists.increment();
	}

	/** Watch events arrived and were applied: the view is exact at {@code position}. */
	public void eventsApplied(int count, String position) {
		this.position = position;
		this.lastSync = this.clock.instant();
		this.watchEvents.add(count);
	}

	/** A registry event reached the catalog {@code nanos} after it arrived. */
	public void propagated(long nanos) {
		this.owner.observer().propagated(this, nanos);
	}

	/** The registry answers and the view is current. */
	public void connected() {
		this.lastSync = this.clock.instant();
		enter(ConnectionState.CONNECTED);
	}

	/** The registry does not answer; the view is frozen. */
	public void unreachable(String errorKind) {
		this.lastError = errorKind;
		enter(ConnectionState.UNREACHABLE);
	}

	/** The registry refuses; the view is frozen. */
	public void denied(String errorKind) {
		this.lastError = errorKind;
		enter(ConnectionState.DENIED);
	}

	// synchronized: two threads reporting different states at once must not leave a stale "since"
	private synchronized void enter(ConnectionState state) {
		Phase current = this.phase;
		if (current.state() != state) {
			if (current.state() == ConnectionState.CONNECTED) {
				// the view was exact until now
				this.lastSync = this.clock.instant();
			}
			this.phase = new Phase(state, this.clock.instant());
		}
	}

	/** Watch events applied since startup. */
	public long watchEventCount() {
		return this.watchEvents.sum();
	}

	/** Complete listings since startup. */
	public long relistCount() {
		return this.relists.sum();
	}

	/** Stops tracking (the watch was closed). */
	public void close() {
		this.owner.remove(this);
	}

	public ConnectionStatus status() {
		Phase current = this.phase;
		Instant synced = (current.state() == ConnectionState.CONNECTED) ? this.clock.instant() : this.lastSync;
		return new ConnectionStatus(source(), this.name, current.state(), current.since(), this.position, synced,
				this.lastError, this.watchEvents.sum(), this.relists.sum());
	}

	@Override
	public String toString() {
		return source() + " " + this.name;
	}

	private record Phase(ConnectionState state, Instant since) {

	}

}

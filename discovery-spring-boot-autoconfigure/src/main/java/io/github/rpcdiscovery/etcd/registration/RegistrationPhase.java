package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.time.Instant;

import io.github.rpcdiscovery.status.RegistrationState;
import io.github.rpcdiscovery.status.RegistrationStatus;
import org.jspecify.annotations.Nullable;

/**
 * Where a registration stands since when, for the actuator, health and readiness. Written on the registration's
 * thread, read from any.
 */
final class RegistrationPhase {

	private final LeaseClock clock;

	private volatile Phase phase;

	RegistrationPhase(LeaseClock clock) {
		this.clock = clock;
		this.phase = new Phase(RegistrationState.REGISTERING, clock.nanoTime(), null);
	}

	RegistrationState state() {
		return this.phase.state();
	}

	@Nullable String lastError() {
		return this.phase.lastError();
	}

	/** Enters a state (a no-op if already in it, except that a given error is recorded). */
	void enter(RegistrationState state, @Nullable String error) {
		Phase current = this.phase;
		if (current.state() != state) {
			this.phase = new Phase(state, this.clock.nanoTime(), error);
		}
		else if (error != null) {
			this.phase = current.withError(error);
		}
	}

	/** Enters a state anew, even if already in it: a re-grant starts a new UP period. */
	void restart(RegistrationState state) {
		this.phase = new Phase(state, this.clock.nanoTime(), null);
	}

	/** An attempt worked: the last failure is cleared. */
	void succeeded() {
		if (this.phase.lastError() != null) {
			this.phase = this.phase.withError(null);
		}
	}

	/**
	 * An attempt failed with this kind of failure.
	 * @param unregistered whether no lease is held though one is wanted: never registered yet (REGISTERING), or the
	 * lease was lost and no new one could be granted (LOST)
	 */
	void failed(String kind, boolean unregistered) {
		if (unregistered) {
			enter((state() == RegistrationState.REGISTERING) ? RegistrationState.REGISTERING : RegistrationState.LOST,
					kind);
		}
		else {
			this.phase = this.phase.withError(kind);
		}
	}

	/**
	 * Where the registration stands now. A registration whose lease has gone without renewal for longer than its TTL
	 * is reported {@link RegistrationState#LOST} from the moment it expired, even before etcd answers again to confirm.
	 * Every duration is measured on the monotonic clock, so a step of the wall clock neither makes a live lease look
	 * lost nor a lost one live; the instants shown are the current wall time minus those durations. The TTL left is
	 * computed from the last renewal: reading the status never calls etcd.
	 */
	RegistrationStatus status(EtcdRegistration registration, String value, String registry, long ttlSeconds,
			@Nullable ActiveLease lease, LeaseRenewals renewals) {
		Phase current = this.phase;
		long nowNanos = this.clock.nanoTime();
		long nowMillis = this.clock.wallMillis();
		long sinceRenewalMillis = Math.max(0, renewals.nanosSinceRenewal() / 1_000_000);
		RegistrationState state = current.state();
		long sinceMillis = nowMillis - Math.max(0, (nowNanos - current.sinceNanos()) / 1_000_000);
		Duration ttlLeft = null;
		if (lease != null) {
			long left = ttlSeconds * 1000 - sinceRenewalMillis;
			ttlLeft = Duration.ofMillis(Math.max(0, left));
			if (state == RegistrationState.UP && left <= 0) {
				state = RegistrationState.LOST;
				sinceMillis = nowMillis + left;
			}
		}
		Instant lastRenewal = renewals.started() ? Instant.ofEpochMilli(nowMillis - sinceRenewalMillis) : null;
		return new RegistrationStatus(registration.requireKey(), (lease != null) ? lease.key() : null, value, registry,
				(lease != null) ? lease.id() : null, (lease != null) ? ActiveLease.hex(lease.id()) : null,
				Duration.ofSeconds(ttlSeconds), ttlLeft, lastRenewal, state, Instant.ofEpochMilli(sinceMillis),
				current.lastError());
	}

	/** Where the registration stands since when, and the kind of the last failure while it is not as wanted. */
	private record Phase(RegistrationState state, long sinceNanos, @Nullable String lastError) {

		Phase withError(@Nullable String error) {
			return new Phase(this.state, this.sinceNanos, error);
		}

	}

}

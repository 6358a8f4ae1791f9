package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.etcd.EtcdFailure;
import io.github.rpcdiscovery.status.DiscoveryObserver;
import io.github.rpcdiscovery.status.RegistrationState;
import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.target.EtcdCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps one registration alive in etcd, and heals it: the lease's lifecycle, as docs/etcd-registration.md tells it.
 * <ul>
 * <li>register: grant a lease of the TTL, write the key and its metadata on it in one transaction ({@link OwnKeys}),
 * keep the lease alive ({@link LeaseRenewals}), watch the own keys ({@link OwnKeyWatcher});</li>
 * <li>lease in doubt (keepalive ended or broke, no renewal for half the TTL): ask etcd; if the lease is gone, revoke it
 * anyway (so no key of it can outlive it) and register on a new one; if it lives, put back a missing key;</li>
 * <li>etcd unreachable: retry with back-off ({@link RegistrationRetries}), one WARN when it starts, one INFO when it
 * ends;</li>
 * <li>out of service or closed: revoke the lease, which removes both keys at once; at close, if this keeper's thread is
 * busy, the closing thread revokes the lease itself, so the keys never wait for the TTL.</li>
 * </ul>
 * Everything that changes state runs on the keeper's {@link RegistrationLoop}; jetcd callbacks only hand work to it.
 * It only ever revokes its own lease and writes its own keys.
 * <p>
 * Why a little over 300 lines: this is the one state machine of a registration (wanted state, lease, generation) and
 * every step of it is a call into the classes above; splitting it further would spread that state over classes that
 * would have to share it.
 */
final class LeaseKeeper implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	private final EtcdCluster cluster;

	private final EtcdRegistration registration;

	private final long ttlSeconds;

	/** {@code rpc.etcd.request-timeout}: what each call to etcd is given, and what the waits below scale with. */
	private final Duration requestTimeout;

	private final RegistrationLoop loop;

	private final OutageLog outages;

	private final RegistrationRetries retries;

	private final LeaseCalls leases;

	private final OwnKeys keys;

	private final LeaseRenewals renewals;

	private final OwnKeyWatcher watcher;

	private final RegistrationPhase phase;

	private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();

	private volatile boolean wantedUp;

	private volatile boolean closed;

	private volatile DiscoveryObserver observer = DiscoveryObserver.NONE;

	private final PublishedLease published;

	// state below is confined to the loop thread

	private @Nullable ActiveLease lease;

	/** Bumped whenever the lease is attached or detached: reports about an older lease are ignored. */
	private int generation;

	LeaseKeeper(Client client, EtcdCluster cluster, EtcdRegistration registration, LeaseClock clock,
			Duration requestTimeout) {
		this.cluster = cluster;
		this.requestTimeout = requestTimeout;
		this.registration = registration;
		this.ttlSeconds = Math.max(1, registration.ttl().toSeconds());
		this.outages = new OutageLog(registration.requireKey(), cluster);
		this.loop = new RegistrationLoop(registration.requireKey(), this::reconcile);
		this.retries = new RegistrationRetries(client, registration.ttl(), this.outages, this.loop,
				() -> reconcile("retry"));
		this.leases = new LeaseCalls(client.getLeaseClient(), registration.requireKey(), cluster, this.ttlSeconds,
				requestTimeout);
		this.published = new PublishedLease(this.leases);
		this.keys = new OwnKeys(client.getKVClient(), registration, requestTimeout);
		this.renewals = new LeaseRenewals(client.getLeaseClient(), clock, this.ttlSeconds, registration.requireKey(),
				this.outages, this.loop);
		this.watcher = new OwnKeyWatcher(client.getWatchClient(), clock, Duration.ofSeconds(this.ttlSeconds),
				this.loop);
		this.phase = new RegistrationPhase(clock);
	}

	/**
	 * Registers, and keeps the registration alive from then on.
	 * @return completes when the first attempt succeeded, or exceptionally with an {@link EtcdRegistrationException}
	 * when it failed (retries go on)
	 */
	CompletableFuture<Void> start() {
		this.wantedUp = true;
		long period = Math.max(250, Math.min(2500, this.ttlSeconds * 1000 / 4));
		this.loop.scheduleWithFixedDelay(this::checkRenewals, Duration.ofMillis(period));
		this.loop.post("registration", () -> true);
		return this.firstAttempt;
	}

	/**
	 * Puts the registration in (UP) or takes it out of service (the lease is revoked, the application keeps
	 * running). Returns once the change was tried; if etcd is unreachable it is retried in the background.
	 */
	void setUp(boolean up) {
		this.wantedUp = up;
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.post(up ? "status UP" : "status OUT_OF_SERVICE", () -> true, done);
		RegistrationLoop.waitQuietly(done, this.requestTimeout.multipliedBy(3));
	}

	boolean isUp() {
		return this.wantedUp;
	}

	/** The lease the key is written on now, or {@code null} if not registered at this moment. */
	@Nullable ActiveLease currentLease() {
		return this.published.get();
	}

	/**
	 * Whether the last withdrawal took the keys out of etcd (revoked, or the lease had already expired): then clients
	 * are dropping this instance. {@code false} if nothing was registered or the revoke failed.
	 */
	boolean wasWithdrawn() {
		return this.published.wasWithdrawn();
	}

	/** Metrics hear about renewals and grants from now on. */
	void observe(DiscoveryObserver observer) {
		this.observer = observer;
		this.renewals.observe(observer);
	}

	/** Where the registration stands now; never calls etcd. */
	RegistrationStatus status() {
		return this.phase.status(this.registration, this.keys.value(), String.join(",", this.cluster.hosts()),
				this.ttlSeconds, this.published.get(), this.renewals);
	}

	/**
	 * Revokes the lease (removing the keys) and stops; returns within a few seconds. The keeper's thread withdraws if
	 * it gets to it within a call's deadline; if it is busy longer, the lease is revoked from here, and the thread
	 * still detaches (and revokes whatever it was granting meanwhile) when it is free.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.wantedUp = false;
		CompletableFuture<Void> started = new CompletableFuture<>();
		CompletableFuture<Void> done = new CompletableFuture<>();
		boolean queued = this.loop.execute(() -> {
			started.complete(null);
			try {
				this.retries.cancel();
				withdraw("deregistered");
				this.phase.enter(RegistrationState.DRAINING, null);
			}
			finally {
				done.complete(null);
			}
		});
		this.loop.shutdown();
		if (queued && RegistrationLoop.waitQuietly(started, this.requestTimeout)) {
			RegistrationLoop.waitQuietly(done, LeaseCalls.REVOKE_TIMEOUT.plusSeconds(1));
		}
		else if (this.published.withdrawCurrent("deregistered")) {
			this.phase.enter(RegistrationState.DRAINING, null);
		}
		if (!this.firstAttempt.isDone()) {
			this.firstAttempt.completeExceptionally(new IllegalStateException("closed before the first registration"));
		}
	}

	/** Decides what the registration needs now and does it; on any failure, schedules a retry. */
	private void reconcile(String reason) {
		this.retries.cancel();
		if (this.closed) {
			return;
		}
		try {
			if (!this.wantedUp) {
				withdraw("taken out of service");
				this.phase.enter(RegistrationState.OUT_OF_SERVICE, null);
				this.firstAttempt.complete(null);
				return;
			}
			if (this.lease == null) {
				grantAndWrite(null, reason);
			}
			else {
				verify(reason);
			}
			succeeded();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			failed(ex);
		}
	}

	/** Grants a lease and writes both keys on it in one transaction; then keeps it alive and watches the keys. */
	private void grantAndWrite(@Nullable ActiveLease previous, String reason) throws Exception {
		long id = this.leases.grant();
		ActiveLease granted = new ActiveLease(id, this.registration.keyFor(id), this.registration.metadataKeyFor(id));
		long revision;
		try {
			revision = this.keys.write(granted);
		}
		catch (Exception ex) {
			this.leases.revokeQuietly(granted.id());
			throw ex;
		}
		attach(granted, revision);
		// a re-grant starts a new UP period even if the lost lease was never reported LOST (it expired unseen)
		this.phase.restart(RegistrationState.UP);
		String registered = this.registration.requireKey() + " in " + this.cluster + ": " + granted.key() + " = "
				+ this.keys.value() + " (lease " + granted + ", TTL " + this.ttlSeconds + "s)";
		if (previous == null) {
			logger.info("Registered " + registered);
		}
		else {
			logger.info("Re-registered " + registered + "; the previous lease " + previous + " was lost (" + reason
					+ ")");
		}
		this.observer.leaseGranted(this.registration.requireKey(), previous != null);
	}

	private void attach(ActiveLease granted, long revision) {
		this.lease = granted;
		this.published.publish(granted);
		this.generation++;
		this.renewals.startedNow();
		this.keys.attached();
		keepAlive();
		this.watcher.open(granted, revision + 1, stillAttached());
	}

	/** Whether a report made now will still be about the attached lease when it is handled. */
	private BooleanSupplier stillAttached() {
		int attachedTo = this.generation;
		return () -> attachedTo == this.generation;
	}

	private void keepAlive() {
		BooleanSupplier current = stillAttached();
		this.renewals.attach(this.lease.id(), current,
				() -> current.getAsBoolean() && !this.retries.pending() && !this.outages.isOpen());
	}

	/** The lease is in doubt or a key may be missing: check with etcd and repair what is broken. */
	private void verify(String reason) throws Exception {
		ActiveLease current = this.lease;
		boolean renewalsStalled = this.renewals.ended() || this.renewals.overdue();
		// stalled: renew at once rather than only ask, as the keepalive stream may be stuck on a frozen member
		boolean alive = renewalsStalled ? this.leases.renewOnce(current.id()) : this.leases.isAlive(current.id());
		if (!alive) {
			replaceLostLease(reason);
			return;
		}
		if (renewalsStalled) {
			this.renewals.renewedOnce();
			keepAlive();
			if (!this.watcher.ended()) {
				// the open watch reports a deleted key; a read now could land on the member that stalled the
				// renewals and hold this thread for the request timeout, which may outlast the lease
				this.renewals.checked();
				return;
			}
		}
		long revision = this.keys.restore(current);
		if (this.watcher.ended()) {
			this.watcher.restart(current, revision + 1, stillAttached());
		}
		this.renewals.checked();
	}

	/** The lease is gone: revoke it anyway (best effort, so nothing of it can outlive it), then register anew. */
	private void replaceLostLease(String reason) throws Exception {
		ActiveLease lost = this.lease;
		detach();
		this.published.unpublish(lost);
		this.leases.revokeQuietly(lost.id());
		grantAndWrite(lost, reason);
	}

	/**
	 * Runs every quarter TTL: if no renewal came for half the TTL (a broken keepalive stream, a wall-clock step that
	 * stalled jetcd's timers, this process paused), the lease is checked now rather than when it is too late.
	 */
	private void checkRenewals() {
		if (this.closed || this.lease == null || this.retries.pending()) {
			return;
		}
		if (this.renewals.overdue()) {
			reconcile("no lease renewal for " + this.renewals.quietMillis() + "ms");
		}
	}

	/** Takes the registration out: detaches, then revokes the lease, which deletes both keys at once. */
	private void withdraw(String why) {
		ActiveLease current = this.lease;
		if (current != null) {
			detach();
			this.published.withdraw(current, why);
		}
	}

	/** Stops keeping the lease: no renewal, no watch, and reports about it are ignored from now on. */
	private void detach() {
		this.generation++;
		this.renewals.close();
		this.watcher.detach();
		this.lease = null;
	}

	private void succeeded() {
		this.phase.succeeded();
		ActiveLease current = this.lease;
		this.retries.succeeded((current != null) ? current.key() + " (lease " + current + ")" : "nothing (out of service)");
		this.firstAttempt.complete(null);
	}

	private void failed(Exception ex) {
		this.phase.failed(EtcdFailure.quickKind(ex).name(), this.lease == null && this.wantedUp);
		EtcdFailure logged = this.retries.failed(ex, this.lease != null);
		if (logged != null && !this.firstAttempt.isDone()) {
			this.firstAttempt.completeExceptionally(new EtcdRegistrationException(this.outages.describe(logged), logged,
					logged.fix(this.cluster)));
		}
	}

}

package io.github.rpcdiscovery.etcd.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.github.rpcdiscovery.etcd.Backoff;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdFailure;
import io.github.rpcdiscovery.status.DiscoveryObserver;
import io.github.rpcdiscovery.status.RegistrationState;
import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps one registration alive in etcd, and heals it. This is where the lease is granted ({@link #grantAndWrite}),
 * kept alive ({@link #keepAlive}) and re-granted ({@link #replaceLostLease}):
 * <ul>
 * <li>register: grant a lease of the TTL, write the key and its metadata on it in one transaction, keep the lease
 * alive, watch the own keys;</li>
 * <li>lease in doubt (keepalive ended, said "not found" or its stream broke, no renewal for half the TTL): ask etcd for
 * the lease's time
 * to live; if it is gone (it expired while etcd was unreachable, etcd lost its data, etcd revoked it on waking from a
 * pause), revoke it anyway (best effort, so no key of it can outlive it) and register on a new lease; if it lives,
 * put back whatever key is missing and re-attach the keepalive;</li>
 * <li>own key deleted while the lease lives: put it back on the same lease;</li>
 * <li>etcd unreachable: retry with jittered back-off (0.5 s to 5 s, at most half the TTL), one WARN when it starts,
 * one INFO when it ends;</li>
 * <li>out of service or closed: revoke the lease, which removes both keys at once.</li>
 * </ul>
 * Everything that changes state runs on this keeper's own thread; jetcd callbacks only hand work to it. Renewals are
 * tracked with {@link System#nanoTime()}, because jetcd's own keepalive timers follow the wall clock. It only ever
 * revokes its own lease and writes its own keys.
 */
final class LeaseKeeper implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	/** How long a revoke may take at shutdown, so a dead etcd never holds the application up for long. */
	static final Duration REVOKE_TIMEOUT = Duration.ofSeconds(2);

	private final Client client;

	private final EtcdCluster cluster;

	private final EtcdRegistration registration;

	private final String value;

	private final String metadataValue;

	private final long ttlSeconds;

	private final ScheduledExecutorService loop;

	private final Backoff backoff;

	private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();

	private volatile boolean wantedUp;

	private volatile boolean closed;

	/** Set when a withdrawal removed the keys; read after {@link #close()}. */
	private volatile boolean withdrawn;

	private volatile long lastRenewalNanos;

	/** Wall-clock time of the last renewal, for the actuator; {@code 0} if none. */
	private volatile long lastRenewalMillis;

	/** Where the registration stands, for the actuator and health; see {@link #status}. */
	private volatile Phase phase = new Phase(RegistrationState.REGISTERING, System.currentTimeMillis(), null);

	private volatile DiscoveryObserver observer = DiscoveryObserver.NONE;

	private volatile @Nullable ActiveLease published;

	private final OutageLog outages;

	/** A check after a keepalive stream error is queued: jetcd reports one per restart attempt, one check is enough. */
	private final AtomicBoolean streamCheckQueued = new AtomicBoolean();

	// state below is confined to the loop thread

	private @Nullable ActiveLease lease;

	private @Nullable CloseableClient keepAlive;

	private boolean keepAliveEnded;

	private @Nullable OwnKeyWatch watch;

	private boolean watchEnded;

	/**
	 * Which own-key watch is current. Closing a watch makes jetcd report its end, sometimes at once and sometimes
	 * after its replacement was opened, within the same lease generation: only the current watch's reports count, or
	 * every replacement would end itself in a loop of Watch requests.
	 */
	private long currentWatch;

	private long watchesOpened;

	private long watchOpenedNanos;

	/** Spaces out re-creations of a watch that keeps ending soon after it was opened (a halting error each time). */
	private final Backoff watchRestarts;

	private @Nullable ScheduledFuture<?> watchRestart;

	/** Bumped whenever the lease is attached or detached: reports about an older lease are ignored. */
	private int generation;

	private @Nullable ScheduledFuture<?> retry;

	private long lastCheckNanos;

	private boolean conflictReported;

	LeaseKeeper(Client client, EtcdCluster cluster, EtcdRegistration registration) {
		this.client = client;
		this.cluster = cluster;
		this.registration = registration;
		this.value = registration.value();
		this.metadataValue = registration.metadataValue();
		this.ttlSeconds = Math.max(1, registration.ttl().toSeconds());
		this.backoff = Backoff.forLease(registration.ttl());
		this.watchRestarts = Backoff.forLease(registration.ttl());
		this.outages = new OutageLog(registration.requireKey(), cluster);
		this.loop = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "etcd-registration-" + registration.requireKey());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Registers, and keeps the registration alive from then on.
	 * @return completes when the first attempt succeeded, or exceptionally with an {@link EtcdRegistrationException}
	 * when it failed (retries go on)
	 */
	CompletableFuture<Void> start() {
		this.wantedUp = true;
		long period = Math.max(250, Math.min(2500, this.ttlSeconds * 1000 / 4));
		this.loop.scheduleWithFixedDelay(this::checkRenewals, period, period, TimeUnit.MILLISECONDS);
		post("registration", () -> true);
		return this.firstAttempt;
	}

	/**
	 * Puts the registration in (UP) or takes it out of service (the lease is revoked, the application keeps
	 * running). Returns once the change was tried; if etcd is unreachable it is retried in the background.
	 */
	void setUp(boolean up) {
		this.wantedUp = up;
		CompletableFuture<Void> done = new CompletableFuture<>();
		post(up ? "status UP" : "status OUT_OF_SERVICE", () -> true, done);
		waitQuietly(done, EtcdCalls.CALL_TIMEOUT.multipliedBy(3));
	}

	boolean isUp() {
		return this.wantedUp;
	}

	/** The lease the key is written on now, or {@code null} if not registered at this moment. */
	@Nullable ActiveLease currentLease() {
		return this.published;
	}

	/**
	 * Whether the last withdrawal took the keys out of etcd (revoked, or the lease had already expired): then clients
	 * are dropping this instance. {@code false} if nothing was registered or the revoke failed.
	 */
	boolean wasWithdrawn() {
		return this.withdrawn;
	}

	/** Metrics hear about renewals and grants from now on. */
	void observe(DiscoveryObserver observer) {
		this.observer = observer;
	}

	/**
	 * Where the registration stands now. A registration whose lease has gone without renewal for longer than its TTL
	 * is reported {@link RegistrationState#LOST} from the moment it expired, even before etcd answers again to confirm.
	 * The TTL left is computed from the last renewal: reading the status never calls etcd.
	 */
	RegistrationStatus status() {
		Phase current = this.phase;
		ActiveLease lease = this.published;
		long now = System.currentTimeMillis();
		long renewed = this.lastRenewalMillis;
		RegistrationState state = current.state();
		long since = current.sinceMillis();
		Duration ttlLeft = null;
		if (lease != null) {
			long left = this.ttlSeconds * 1000 - Math.max(0, now - renewed);
			ttlLeft = Duration.ofMillis(Math.max(0, left));
			if (state == RegistrationState.UP && left <= 0) {
				state = RegistrationState.LOST;
				since = renewed + this.ttlSeconds * 1000;
			}
		}
		return new RegistrationStatus(this.registration.requireKey(), (lease != null) ? lease.key() : null,
				this.value, String.join(",", this.cluster.hosts()), (lease != null) ? lease.id() : null,
				(lease != null) ? hex(lease.id()) : null, Duration.ofSeconds(this.ttlSeconds), ttlLeft,
				(renewed > 0) ? Instant.ofEpochMilli(renewed) : null, state,
				Instant.ofEpochMilli(since), current.lastError());
	}

	private void enter(RegistrationState state, @Nullable String error) {
		if (this.phase.state() != state) {
			this.phase = new Phase(state, System.currentTimeMillis(), error);
		}
		else if (error != null) {
			this.phase = this.phase.withError(error);
		}
	}

	/** Revokes the lease (removing the keys) and stops. Waits a few seconds at most. */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.wantedUp = false;
		CompletableFuture<Void> done = new CompletableFuture<>();
		try {
			this.loop.execute(() -> {
				try {
					cancelRetry();
					withdraw("deregistered");
					enter(RegistrationState.DRAINING, null);
				}
				finally {
					done.complete(null);
				}
			});
			waitQuietly(done, EtcdCalls.CALL_TIMEOUT.plus(REVOKE_TIMEOUT).plusSeconds(1));
		}
		catch (RejectedExecutionException ex) {
			// already stopped
		}
		this.loop.shutdownNow();
		if (!this.firstAttempt.isDone()) {
			this.firstAttempt.completeExceptionally(new IllegalStateException("closed before the first registration"));
		}
	}

	/** Decides what the registration needs now and does it; on any failure, schedules a retry. */
	private void reconcile(String reason) {
		cancelRetry();
		if (this.closed) {
			return;
		}
		try {
			if (!this.wantedUp) {
				withdraw("taken out of service");
				enter(RegistrationState.OUT_OF_SERVICE, null);
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
		LeaseGrantResponse grant = EtcdCalls.await(this.client.getLeaseClient()
			.grant(this.ttlSeconds, EtcdCalls.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
		ActiveLease granted = new ActiveLease(grant.getID(), this.registration.keyFor(grant.getID()),
				this.registration.metadataKeyFor(grant.getID()));
		long revision;
		try {
			revision = write(granted);
		}
		catch (Exception ex) {
			revokeQuietly(granted.id());
			throw ex;
		}
		attach(granted, revision);
		// a re-grant starts a new UP period even if the lost lease was never reported LOST (it expired unseen)
		this.phase = new Phase(RegistrationState.UP, System.currentTimeMillis(), null);
		this.observer.leaseGranted(this.registration.requireKey(), previous != null);
		if (previous == null) {
			logger.info("Registered " + this.registration.requireKey() + " in " + this.cluster + ": " + granted.key()
					+ " = " + this.value + " (lease " + granted + ", TTL " + this.ttlSeconds + "s)");
		}
		else {
			logger.info("Re-registered " + this.registration.requireKey() + " in " + this.cluster + ": "
					+ granted.key() + " = " + this.value + " (lease " + granted + ", TTL " + this.ttlSeconds
					+ "s); the previous lease " + previous + " was lost (" + reason + ")");
		}
	}

	/** The key and its metadata on the lease, in one transaction. Returns the revision of the write. */
	private long write(ActiveLease on) throws Exception {
		PutOption withLease = PutOption.builder().withLeaseId(on.id()).build();
		TxnResponse response = EtcdCalls.await(this.client.getKVClient()
			.txn()
			.Then(Op.put(bytes(on.key()), bytes(this.value), withLease),
					Op.put(bytes(on.metadataKey()), bytes(this.metadataValue), withLease))
			.commit());
		return response.getHeader().getRevision();
	}

	private void attach(ActiveLease granted, long revision) {
		this.lease = granted;
		this.published = granted;
		this.generation++;
		this.lastRenewalNanos = System.nanoTime();
		this.lastRenewalMillis = System.currentTimeMillis();
		this.lastCheckNanos = this.lastRenewalNanos;
		this.conflictReported = false;
		keepAlive();
		watchOwnKeys(revision + 1);
	}

	/** The lease is in doubt or a key may be missing: check with etcd and repair what is broken. */
	private void verify(String reason) throws Exception {
		ActiveLease current = this.lease;
		long ttl = EtcdCalls.await(this.client.getLeaseClient().timeToLive(current.id(), LeaseOption.DEFAULT))
			.getTTL();
		if (ttl <= 0) {
			replaceLostLease(reason);
			return;
		}
		long revision = restoreKeys(current);
		if (this.keepAliveEnded || renewalsOverdue()) {
			keepAlive();
		}
		if (this.watchEnded) {
			restartWatch(revision + 1);
		}
		this.lastCheckNanos = System.nanoTime();
	}

	/** The lease is gone: revoke it anyway (best effort, so nothing of it can outlive it), then register anew. */
	private void replaceLostLease(String reason) throws Exception {
		ActiveLease lost = this.lease;
		detach();
		revokeQuietly(lost.id());
		grantAndWrite(lost, reason);
	}

	/**
	 * Puts back the key or the metadata if someone deleted them while the lease lives. A key held by another lease is
	 * left alone (two instances with the same rpc.etcd.id): reported once, never fought over.
	 * @return the revision the keys were read (or written) at
	 */
	private long restoreKeys(ActiveLease current) throws Exception {
		TxnResponse read = EtcdCalls.await(this.client.getKVClient()
			.txn()
			.Then(Op.get(bytes(current.key()), GetOption.DEFAULT), Op.get(bytes(current.metadataKey()), GetOption.DEFAULT))
			.commit());
		KeyValue key = single(read.getGetResponses().get(0));
		KeyValue metadata = single(read.getGetResponses().get(1));
		if (isOurs(key, current, this.value) && isOurs(metadata, current, this.metadataValue)) {
			return read.getHeader().getRevision();
		}
		if (key != null && key.getLease() != current.id()) {
			if (!this.conflictReported) {
				this.conflictReported = true;
				logger.warn(current.key() + " is held by lease " + hex(key.getLease()) + " with value "
						+ text(key.getValue()) + ", not by this instance's lease " + current + ": two instances use the"
						+ " same rpc.etcd.id (" + this.registration.fixedId() + ")? This instance stays unregistered"
						+ " until that key is gone; give each instance its own id, or 0 to use the lease id");
			}
			return read.getHeader().getRevision();
		}
		long revision = write(current);
		logger.info("Put back " + current.key() + " = " + this.value + " on lease " + current
				+ ": it was deleted while the lease was alive");
		return revision;
	}

	private static boolean isOurs(@Nullable KeyValue kv, ActiveLease lease, String expected) {
		return kv != null && kv.getLease() == lease.id() && text(kv.getValue()).equals(expected);
	}

	private static @Nullable KeyValue single(GetResponse response) {
		return response.getKvs().isEmpty() ? null : response.getKvs().get(0);
	}

	/** Attaches (or re-attaches) the keepalive of the current lease. */
	private void keepAlive() {
		closeKeepAlive();
		int attachedTo = this.generation;
		this.keepAliveEnded = false;
		this.keepAlive = this.client.getLeaseClient().keepAlive(this.lease.id(), new StreamObserver<>() {

			@Override
			public void onNext(LeaseKeepAliveResponse response) {
				LeaseKeeper.this.lastRenewalNanos = System.nanoTime();
				LeaseKeeper.this.lastRenewalMillis = System.currentTimeMillis();
				LeaseKeeper.this.outages.answered();
				LeaseKeeper.this.observer.leaseRenewed(LeaseKeeper.this.registration.requireKey());
				if (LeaseKeeper.this.outages.isOpen()) {
					post("lease renewed", () -> attachedTo == LeaseKeeper.this.generation);
				}
			}

			@Override
			public void onError(Throwable error) {
				if (EtcdFailure.isLeaseNotFound(error)) {
					post("etcd no longer knows the lease", () -> keepAliveEnded(attachedTo));
				}
				else if (LeaseKeeper.this.streamCheckQueued.compareAndSet(false, true)) {
					// jetcd restarts the stream by itself, but the next renewal may be a third of the TTL away: check
					// the lease now, so that an etcd restarted without its data is noticed within about a second
					post("the keepalive stream was interrupted", () -> {
						LeaseKeeper.this.streamCheckQueued.set(false);
						return attachedTo == LeaseKeeper.this.generation && LeaseKeeper.this.retry == null
								&& !LeaseKeeper.this.outages.isOpen();
					});
				}
			}

			@Override
			public void onCompleted() {
				post("no renewal within the TTL", () -> keepAliveEnded(attachedTo));
			}

		});
	}

	private boolean keepAliveEnded(int attachedTo) {
		if (attachedTo != this.generation) {
			return false;
		}
		this.keepAliveEnded = true;
		return true;
	}

	/**
	 * Re-creates an own-key watch that ended: at once if it had run for a while, else after a back-off, so a watch
	 * that etcd ends again and again is retried at a bounded rate, never in a loop.
	 */
	private void restartWatch(long fromRevision) {
		if (this.watchRestart != null) {
			return;
		}
		boolean endedSoon = System.nanoTime() - this.watchOpenedNanos < TimeUnit.SECONDS.toNanos(this.ttlSeconds);
		if (!endedSoon) {
			this.watchRestarts.reset();
			watchOwnKeys(fromRevision);
			return;
		}
		Duration delay = this.watchRestarts.next();
		int attachedTo = this.generation;
		this.watchRestart = this.loop.schedule(() -> {
			this.watchRestart = null;
			if (attachedTo == this.generation && this.watchEnded && !this.closed) {
				// the keys are read again first: whatever changed while no watch ran is put right
				reconcile("re-creating the watch of its own keys");
			}
		}, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void watchOwnKeys(long fromRevision) {
		closeWatch();
		int attachedTo = this.generation;
		long watchId = ++this.watchesOpened;
		this.currentWatch = watchId;
		this.watchOpenedNanos = System.nanoTime();
		this.watchEnded = false;
		this.watch = new OwnKeyWatch(this.client.getWatchClient(), List.of(this.lease.key(), this.lease.metadataKey()),
				this.lease.id(), fromRevision, new OwnKeyWatch.Listener() {

					@Override
					public void keyChanged(String what) {
						post(what, () -> isCurrentWatch(attachedTo, watchId));
					}

					@Override
					public void watchEnded(String why) {
						post(why, () -> {
							if (!isCurrentWatch(attachedTo, watchId)) {
								return false;
							}
							LeaseKeeper.this.watchEnded = true;
							return true;
						});
					}

				});
	}

	private boolean isCurrentWatch(int attachedTo, long watchId) {
		return attachedTo == this.generation && watchId == this.currentWatch;
	}

	/**
	 * Runs every quarter TTL: if no renewal came for half the TTL (a broken keepalive stream, a wall-clock step that
	 * stalled jetcd's timers, this process paused), the lease is checked now rather than when it is too late.
	 */
	private void checkRenewals() {
		if (this.closed || this.lease == null || this.retry != null) {
			return;
		}
		if (renewalsOverdue()) {
			long quietMillis = (System.nanoTime() - Math.max(this.lastRenewalNanos, this.lastCheckNanos)) / 1_000_000;
			reconcile("no lease renewal for " + quietMillis + "ms");
		}
	}

	private boolean renewalsOverdue() {
		long quiet = System.nanoTime() - Math.max(this.lastRenewalNanos, this.lastCheckNanos);
		return quiet > TimeUnit.SECONDS.toNanos(this.ttlSeconds) / 2;
	}

	/** Takes the registration out: detaches, then revokes the lease, which deletes both keys at once. */
	private void withdraw(String why) {
		ActiveLease current = this.lease;
		if (current == null) {
			return;
		}
		detach();
		try {
			EtcdCalls.await(this.client.getLeaseClient().revoke(current.id()), REVOKE_TIMEOUT);
			this.withdrawn = true;
			logger.info(capitalized(why) + ": " + this.registration.requireKey() + " in " + this.cluster + " (revoked lease "
					+ current + ", removing " + current.key() + ")");
		}
		catch (Exception ex) {
			if (EtcdFailure.isLeaseNotFound(ex)) {
				this.withdrawn = true;
				logger.info(capitalized(why) + ": " + this.registration.requireKey() + " in " + this.cluster
						+ " (lease " + current + " had already expired)");
			}
			else {
				logger.warn(capitalized(why) + " " + this.registration.requireKey() + ", but revoking lease " + current
						+ " failed (" + describe(ex) + "): " + current.key() + " disappears when the lease expires,"
						+ " within " + this.ttlSeconds + "s");
			}
		}
	}

	private void detach() {
		this.generation++;
		closeKeepAlive();
		closeWatch();
		this.lease = null;
		this.published = null;
		this.keepAliveEnded = false;
		this.watchEnded = false;
	}

	private void revokeQuietly(long leaseId) {
		try {
			EtcdCalls.await(this.client.getLeaseClient().revoke(leaseId), REVOKE_TIMEOUT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.debug("Revoking lease " + hex(leaseId) + " failed: " + describe(ex));
		}
	}

	private void succeeded() {
		this.backoff.reset();
		if (this.phase.lastError() != null) {
			this.phase = this.phase.withError(null);
		}
		ActiveLease current = this.lease;
		this.outages.ended((current != null) ? current.key() + " (lease " + current + ")" : "nothing (out of service)");
		this.firstAttempt.complete(null);
	}

	private void failed(Exception ex) {
		Duration delay = this.backoff.next();
		String kind = EtcdFailure.quickKind(ex).name();
		if (this.lease == null && this.wantedUp) {
			// never registered yet, or the lease was lost and no new one could be granted
			enter((this.phase.state() == RegistrationState.REGISTERING) ? RegistrationState.REGISTERING
					: RegistrationState.LOST, kind);
		}
		else {
			this.phase = this.phase.withError(kind);
		}
		EtcdFailure logged = this.outages.failed(ex, "Retrying with back-off (up to " + this.backoff.cap().toMillis()
				+ "ms)" + ((this.lease != null) ? "; the key expires " + this.ttlSeconds + "s after the last renewal and"
						+ " is written again as soon as etcd answers" : ""));
		if (logged != null && !this.firstAttempt.isDone()) {
			this.firstAttempt.completeExceptionally(new EtcdRegistrationException(this.outages.describe(logged), logged,
					logged.fix(this.cluster)));
		}
		this.retry = this.loop.schedule(() -> {
			this.retry = null;
			// the channel may sit in gRPC's reconnect back-off for much longer than ours: let it try now
			EtcdConnections.reconnectNow(this.client);
			reconcile("retry");
		}, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void cancelRetry() {
		ScheduledFuture<?> pending = this.retry;
		if (pending != null) {
			pending.cancel(false);
			this.retry = null;
		}
	}

	/** Hands a report to the loop; the condition runs there and decides whether it still matters. */
	private void post(String reason, java.util.function.BooleanSupplier stillRelevant) {
		post(reason, stillRelevant, null);
	}

	private void post(String reason, java.util.function.BooleanSupplier stillRelevant,
			@Nullable CompletableFuture<Void> done) {
		try {
			this.loop.execute(() -> {
				try {
					if (stillRelevant.getAsBoolean()) {
						reconcile(reason);
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Unexpected failure keeping " + this.registration.requireKey() + " registered: " + ex);
				}
				finally {
					if (done != null) {
						done.complete(null);
					}
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// closed: nothing to keep any more
			if (done != null) {
				done.complete(null);
			}
		}
	}

	private void closeKeepAlive() {
		if (this.keepAlive != null) {
			this.keepAlive.close();
			this.keepAlive = null;
		}
	}

	private void closeWatch() {
		this.currentWatch = 0;
		if (this.watchRestart != null) {
			this.watchRestart.cancel(false);
			this.watchRestart = null;
		}
		if (this.watch != null) {
			this.watch.close();
			this.watch = null;
		}
	}

	private static void waitQuietly(CompletableFuture<Void> done, Duration timeout) {
		try {
			done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// the loop goes on by itself; the caller does not wait longer
		}
	}

	private static String describe(Exception ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

	/** A lease id as etcdctl prints it: 16 hex digits. */
	static String hex(long leaseId) {
		return String.format("%016x", leaseId);
	}

	/** Where the registration stands since when, and the kind of the last failure while it is not as wanted. */
	private record Phase(RegistrationState state, long sinceMillis, @Nullable String lastError) {

		Phase withError(@Nullable String error) {
			return new Phase(this.state, this.sinceMillis, error);
		}

	}

	/**
	 * A granted lease and the keys written on it.
	 *
	 * @param id the lease id
	 * @param key the instance key
	 * @param metadataKey the metadata key
	 */
	record ActiveLease(long id, String key, String metadataKey) {

		/** {@code <hex> (<signed decimal>)}: etcdctl prints the hex, go-zero's key holds the decimal. */
		@Override
		public String toString() {
			return hex(this.id) + " (" + this.id + ")";
		}

	}

}

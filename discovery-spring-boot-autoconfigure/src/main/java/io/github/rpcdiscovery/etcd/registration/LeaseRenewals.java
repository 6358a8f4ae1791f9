package io.github.rpcdiscovery.etcd.registration;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.github.rpcdiscovery.etcd.EtcdFailure;
import io.github.rpcdiscovery.status.DiscoveryObserver;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the current lease alive with jetcd's keepalive and tracks its renewals on the monotonic clock (jetcd's own
 * keepalive timers follow the wall clock). Reports to the {@link RegistrationLoop} when the lease is in doubt: etcd no
 * longer knows it, the keepalive ended, or its stream broke. Attaching and closing happen on the loop; the renewal
 * times are read from any thread.
 */
final class LeaseRenewals {

	private final Lease leases;

	private final LeaseClock clock;

	private final long ttlNanos;

	private final String serviceKey;

	private final OutageLog outages;

	private final RegistrationLoop loop;

	private volatile DiscoveryObserver observer = DiscoveryObserver.NONE;

	/** A check after a keepalive stream error is queued: jetcd reports one per restart attempt, one check is enough. */
	private final AtomicBoolean streamCheckQueued = new AtomicBoolean();

	private volatile long lastRenewalNanos;

	/** Whether a lease was ever granted, so {@link #lastRenewalNanos} means something. */
	private volatile boolean started;

	// confined to the loop thread

	private long lastCheckNanos;

	private @Nullable CloseableClient keepAlive;

	private boolean ended;

	LeaseRenewals(Lease leases, LeaseClock clock, long ttlSeconds, String serviceKey, OutageLog outages,
			RegistrationLoop loop) {
		this.leases = leases;
		this.clock = clock;
		this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
		this.serviceKey = serviceKey;
		this.outages = outages;
		this.loop = loop;
	}

	void observe(DiscoveryObserver observer) {
		this.observer = observer;
	}

	/** A lease was just granted (or confirmed) and written: it counts as renewed now. */
	void startedNow() {
		this.lastRenewalNanos = this.clock.nanoTime();
		this.lastCheckNanos = this.lastRenewalNanos;
		this.started = true;
	}

	/**
	 * Attaches (or re-attaches) the keepalive of a lease.
	 * @param current whether a report is still about the lease attached now
	 * @param worthChecking whether a broken stream is worth a check now (no retry or outage under way)
	 */
	void attach(long leaseId, BooleanSupplier current, BooleanSupplier worthChecking) {
		close();
		this.keepAlive = this.leases.keepAlive(leaseId, new StreamObserver<>() {

			@Override
			public void onNext(LeaseKeepAliveResponse response) {
				LeaseRenewals.this.lastRenewalNanos = LeaseRenewals.this.clock.nanoTime();
				LeaseRenewals.this.outages.answered();
				LeaseRenewals.this.observer.leaseRenewed(LeaseRenewals.this.serviceKey);
				if (LeaseRenewals.this.outages.isOpen()) {
					LeaseRenewals.this.loop.post("lease renewed", current);
				}
			}

			@Override
			public void onError(Throwable error) {
				if (EtcdFailure.isLeaseNotFound(error)) {
					LeaseRenewals.this.loop.post("etcd no longer knows the lease", () -> ended(current));
				}
				else if (LeaseRenewals.this.streamCheckQueued.compareAndSet(false, true)) {
					// jetcd restarts the stream by itself, but the next renewal may be a third of the TTL away: check
					// the lease now, so that an etcd restarted without its data is noticed within about a second
					LeaseRenewals.this.loop.post("the keepalive stream was interrupted", () -> {
						LeaseRenewals.this.streamCheckQueued.set(false);
						return worthChecking.getAsBoolean();
					});
				}
			}

			@Override
			public void onCompleted() {
				LeaseRenewals.this.loop.post("no renewal within the TTL", () -> ended(current));
			}

		});
	}

	private boolean ended(BooleanSupplier current) {
		if (!current.getAsBoolean()) {
			return false;
		}
		this.ended = true;
		return true;
	}

	/** The keepalive ended (etcd no longer knows the lease, or no renewal came within the TTL). */
	boolean ended() {
		return this.ended;
	}

	/** No renewal (nor check) for half the TTL: the lease should be checked now rather than when it is too late. */
	boolean overdue() {
		return quietNanos() > this.ttlNanos / 2;
	}

	long quietMillis() {
		return quietNanos() / 1_000_000;
	}

	private long quietNanos() {
		return this.clock.nanoTime() - Math.max(this.lastRenewalNanos, this.lastCheckNanos);
	}

	/** The lease was renewed outside the keepalive stream ({@link LeaseCalls#renewOnce}). */
	void renewedOnce() {
		this.lastRenewalNanos = this.clock.nanoTime();
		this.observer.leaseRenewed(this.serviceKey);
	}

	/** etcd confirmed the lease lives. */
	void checked() {
		this.lastCheckNanos = this.clock.nanoTime();
	}

	/** Monotonic time since the last renewal (or grant). */
	long nanosSinceRenewal() {
		return this.clock.nanoTime() - this.lastRenewalNanos;
	}

	/** Whether a lease was ever granted: else there is no renewal to date. */
	boolean started() {
		return this.started;
	}

	/** Stops the keepalive; nothing is renewed until the next {@link #attach}. */
	void close() {
		this.ended = false;
		if (this.keepAlive != null) {
			this.keepAlive.close();
			this.keepAlive = null;
		}
	}

}

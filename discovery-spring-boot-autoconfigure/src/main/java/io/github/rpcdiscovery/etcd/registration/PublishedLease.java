package io.github.rpcdiscovery.etcd.registration;

import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The lease a registration's keys are on, as the rest of the application sees it, and its withdrawal. Two threads may
 * withdraw it: the registration's own, or one closing the registration while that one is busy. Whoever takes the
 * lease out revokes it, so it is revoked (and logged) exactly once.
 */
final class PublishedLease {

	private final AtomicReference<@Nullable ActiveLease> current = new AtomicReference<>();

	private final LeaseCalls leases;

	/** Set when a withdrawal removed the keys. */
	private volatile boolean withdrawn;

	PublishedLease(LeaseCalls leases) {
		this.leases = leases;
	}

	/** The lease the keys are on now, or {@code null} while not registered. */
	@Nullable ActiveLease get() {
		return this.current.get();
	}

	void publish(ActiveLease lease) {
		this.current.set(lease);
	}

	/** Stops showing the lease; {@code false} if another thread took it out first (and revokes it). */
	boolean unpublish(ActiveLease lease) {
		return this.current.compareAndSet(lease, null);
	}

	/** Takes the lease out, if nobody did yet, and revokes it. */
	void withdraw(ActiveLease lease, String why) {
		if (unpublish(lease)) {
			this.withdrawn = this.leases.withdraw(lease, why);
		}
	}

	/** Takes out whatever lease is shown and revokes it; says whether there was one. */
	boolean withdrawCurrent(String why) {
		ActiveLease lease = this.current.getAndSet(null);
		if (lease == null) {
			return false;
		}
		this.withdrawn = this.leases.withdraw(lease, why);
		return true;
	}

	/** Whether the last withdrawal took the keys out of etcd (revoked, or the lease had already expired). */
	boolean wasWithdrawn() {
		return this.withdrawn;
	}

}

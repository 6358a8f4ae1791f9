package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.options.LeaseOption;
import io.github.rpcdiscovery.etcd.EtcdFailure;
import io.github.rpcdiscovery.target.EtcdCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The lease requests of one registration, each with its deadline: grant, time to live, and revoke, which deletes the
 * key and its metadata at once, within {@link #REVOKE_TIMEOUT} so that a dead etcd never holds the application up for
 * long. Called from the registration's thread; a revoke also from a thread closing it while that one is busy.
 */
final class LeaseCalls {

	/** The registration's log category, as before it was split: operators filter on it. */
	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	/** How long a revoke may take at shutdown. */
	static final Duration REVOKE_TIMEOUT = Duration.ofSeconds(2);

	private final Lease leases;

	private final String serviceKey;

	private final EtcdCluster cluster;

	private final long ttlSeconds;

	private final Duration requestTimeout;

	/** @param requestTimeout how long a grant or a time-to-live request may take ({@code rpc.etcd.request-timeout}) */
	LeaseCalls(Lease leases, String serviceKey, EtcdCluster cluster, long ttlSeconds, Duration requestTimeout) {
		this.leases = leases;
		this.serviceKey = serviceKey;
		this.cluster = cluster;
		this.ttlSeconds = ttlSeconds;
		this.requestTimeout = requestTimeout;
	}

	/** Grants a lease of the TTL; returns its id. */
	long grant() throws Exception {
		return EtcdCalls
			.await(this.leases.grant(this.ttlSeconds, this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS),
					this.requestTimeout)
			.getID();
	}

	/** Whether etcd still holds the lease (its time to live is above zero). */
	boolean isAlive(long leaseId) throws Exception {
		return EtcdCalls.await(this.leases.timeToLive(leaseId, LeaseOption.DEFAULT), this.requestTimeout).getTTL() > 0;
	}

	/**
	 * Renews the lease once, on new keepalive streams of their own, one per etcd member (gRPC's round robin puts
	 * consecutive streams on different members): jetcd's shared keepalive stream may sit on a member that is frozen
	 * (its connection open, nothing answering) until the TTL is long past, while the other members could renew it.
	 * The first renewal wins; the others are abandoned.
	 * @return {@code false} if etcd no longer knows the lease
	 * @throws Exception if no member renewed it within the request timeout
	 */
	boolean renewOnce(long leaseId) throws Exception {
		int streams = Math.max(1, this.cluster.hosts().size());
		CompletableFuture<Void> renewed = new CompletableFuture<>();
		AtomicInteger failures = new AtomicInteger();
		for (int i = 0; i < streams; i++) {
			this.leases.keepAliveOnce(leaseId).whenComplete((response, error) -> {
				if (error == null || EtcdFailure.isLeaseNotFound(error) || failures.incrementAndGet() == streams) {
					complete(renewed, error);
				}
			});
		}
		try {
			EtcdCalls.await(renewed, this.requestTimeout);
			return true;
		}
		catch (Exception ex) {
			if (EtcdFailure.isLeaseNotFound(ex)) {
				return false;
			}
			throw ex;
		}
	}

	private static void complete(CompletableFuture<Void> future, Throwable error) {
		if (error == null) {
			future.complete(null);
		}
		else {
			future.completeExceptionally(error);
		}
	}

	/**
	 * Withdraws the registration: revokes its lease and logs the one INFO line (or a WARN if etcd cannot be reached).
	 * @param why what the log line starts with ("deregistered", "taken out of service")
	 * @return whether the keys are out of etcd now (revoked, or the lease had already expired)
	 */
	boolean withdraw(ActiveLease lease, String why) {
		try {
			EtcdCalls.await(this.leases.revoke(lease.id()), REVOKE_TIMEOUT);
			logger.info(capitalized(why) + ": " + this.serviceKey + " in " + this.cluster + " (revoked lease " + lease
					+ ", removing " + lease.key() + ")");
			return true;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			if (EtcdFailure.isLeaseNotFound(ex)) {
				logger.info(capitalized(why) + ": " + this.serviceKey + " in " + this.cluster + " (lease " + lease
						+ " had already expired)");
				return true;
			}
			logger.warn(capitalized(why) + " " + this.serviceKey + ", but revoking lease " + lease + " failed ("
					+ describe(ex) + "): " + lease.key() + " disappears when the lease expires, within "
					+ this.ttlSeconds + "s");
			return false;
		}
	}

	/** Revokes a lease that is being replaced or was never used; a failure only matters at DEBUG. */
	void revokeQuietly(long leaseId) {
		try {
			EtcdCalls.await(this.leases.revoke(leaseId), REVOKE_TIMEOUT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.debug("Revoking lease " + ActiveLease.hex(leaseId) + " failed: " + describe(ex));
		}
	}

	static String describe(Exception ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}

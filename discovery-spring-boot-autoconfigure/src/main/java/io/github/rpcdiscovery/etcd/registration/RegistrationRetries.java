package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.etcd.Backoff;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdFailure;
import org.jspecify.annotations.Nullable;

/**
 * Retries a registration whose last attempt failed, with jittered back-off (0.5 s to 5 s, at most half the TTL), and
 * logs the outage once through the {@link OutageLog}. At most one retry is pending. Runs on the registration's thread
 * only.
 */
final class RegistrationRetries {

	private final Client client;

	private final long ttlSeconds;

	private final OutageLog outages;

	private final RegistrationLoop loop;

	private final Runnable retry;

	private final Backoff backoff;

	private @Nullable ScheduledFuture<?> pending;

	/** @param retry what a retry runs, on the loop */
	RegistrationRetries(Client client, Duration ttl, OutageLog outages, RegistrationLoop loop, Runnable retry) {
		this.client = client;
		this.ttlSeconds = Math.max(1, ttl.toSeconds());
		this.outages = outages;
		this.loop = loop;
		this.retry = retry;
		this.backoff = Backoff.forLease(ttl);
	}

	/** Whether a retry is scheduled. */
	boolean pending() {
		return this.pending != null;
	}

	/** An attempt is under way: a scheduled retry is not needed any more. */
	void cancel() {
		ScheduledFuture<?> scheduled = this.pending;
		if (scheduled != null) {
			scheduled.cancel(false);
			this.pending = null;
		}
	}

	/** The attempt worked: the back-off starts over, and an outage ends with its INFO line. */
	void succeeded(String registeredAs) {
		this.backoff.reset();
		this.outages.ended(registeredAs);
	}

	/**
	 * The attempt failed: schedules a retry after the next back-off.
	 * @param leaseHeld whether a lease is held meanwhile (its key lives until the TTL after the last renewal)
	 * @return the failure as logged if this started an outage (or changed its sort), else {@code null}
	 */
	@Nullable EtcdFailure failed(Exception ex, boolean leaseHeld) {
		Duration delay = this.backoff.next();
		EtcdFailure logged = this.outages.failed(ex, "Retrying with back-off (up to " + this.backoff.cap().toMillis()
				+ "ms)" + (leaseHeld ? "; the key expires " + this.ttlSeconds + "s after the last renewal and is"
						+ " written again as soon as etcd answers" : ""));
		this.pending = this.loop.schedule(() -> {
			this.pending = null;
			// the channel may sit in gRPC's reconnect back-off for much longer than ours: let it try now
			EtcdConnections.reconnectNow(this.client);
			this.retry.run();
		}, delay);
		return logged;
	}

}

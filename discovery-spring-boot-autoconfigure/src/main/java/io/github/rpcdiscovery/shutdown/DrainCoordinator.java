package io.github.rpcdiscovery.shutdown;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationListener;

/**
 * Between "clients were told to drop this instance" and "the server stops accepting" there must be time for the news
 * to arrive: clients watching etcd or EndpointSlices learn of a revoke within milliseconds, but a request they picked
 * just before is still on its way. This remembers when the instance was first withdrawn and, at shutdown, waits until
 * {@code rpc.shutdown.drain} has passed since then. Nothing withdrawn (not registered, or the revoke failed because
 * the registry is down, so clients would not notice anyway): no wait.
 */
public final class DrainCoordinator implements ApplicationListener<InstanceWithdrawnEvent> {

	private static final Log logger = LogFactory.getLog(DrainCoordinator.class);

	private final Duration drain;

	private final LongSupplier nanoClock;

	private final Pause pause;

	private final AtomicBoolean reported = new AtomicBoolean();

	private volatile long withdrawnAtNanos;

	private volatile boolean draining;

	public DrainCoordinator(Duration drain) {
		this(drain, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
	}

	/**
	 * @param drain how long after the first withdrawal the servers keep accepting
	 * @param nanoClock a monotonic clock
	 * @param pause waits the given nanoseconds
	 */
	DrainCoordinator(Duration drain, LongSupplier nanoClock, Pause pause) {
		this.drain = drain;
		this.nanoClock = nanoClock;
		this.pause = pause;
	}

	@Override
	public void onApplicationEvent(InstanceWithdrawnEvent event) {
		withdrawn(event.getWhat());
	}

	/** Records the first withdrawal; the drain is measured from it. */
	public synchronized void withdrawn(String what) {
		if (!this.draining) {
			this.withdrawnAtNanos = this.nanoClock.getAsLong();
			this.draining = true;
			logger.debug("Withdrawn " + what + "; draining for " + this.drain.toMillis() + " ms");
		}
	}

	/** Whether the instance was withdrawn and is letting clients catch up. */
	public boolean isDraining() {
		return this.draining;
	}

	public Duration drain() {
		return this.drain;
	}

	/** True once: several servers (web, gRPC) wait for the same drain, and it is reported in one line. */
	public boolean claimReport() {
		return this.reported.compareAndSet(false, true);
	}

	/**
	 * Waits until the drain has passed since the withdrawal; returns at once if nothing was withdrawn, and early if
	 * the thread is interrupted (keeping the interrupt).
	 * @return how long it waited
	 */
	public Duration awaitDrained() {
		if (!this.draining) {
			return Duration.ZERO;
		}
		long start = this.nanoClock.getAsLong();
		long remaining = this.drain.toNanos() - (start - this.withdrawnAtNanos);
		if (remaining <= 0) {
			return Duration.ZERO;
		}
		try {
			// a deliberate pause in production code: the server keeps serving while clients catch up
			this.pause.nanos(remaining);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return Duration.ofNanos(Math.max(0, this.nanoClock.getAsLong() - start));
	}

	/** Waits; {@link TimeUnit#sleep} in production, a clock that jumps in tests. */
	@FunctionalInterface
	interface Pause {

		void nanos(long nanos) throws InterruptedException;

	}

}

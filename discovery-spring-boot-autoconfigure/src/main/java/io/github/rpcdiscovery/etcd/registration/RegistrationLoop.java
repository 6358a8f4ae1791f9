package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one thread a registration changes its state on. jetcd's callbacks only {@link #post} reports here; each report
 * carries a condition, checked on this thread, that says whether it still matters (a report about a lease or a watch
 * that was replaced since does not). Once {@link #shutdown} nothing new is accepted, but what is queued still runs.
 */
final class RegistrationLoop {

	/** The registration's log category, as before it was split: operators filter on it. */
	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	private final String name;

	private final ScheduledThreadPoolExecutor executor;

	private final Consumer<String> reconcile;

	/**
	 * @param name the registration's key, for the thread name and logs
	 * @param reconcile what a relevant report triggers, with the report as the reason
	 */
	RegistrationLoop(String name, Consumer<String> reconcile) {
		this.name = name;
		this.reconcile = reconcile;
		this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "etcd-registration-" + name);
			thread.setDaemon(true);
			return thread;
		});
		// after shutdown, a pending retry has nothing left to do; the queued withdrawal still runs
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.executor.setRemoveOnCancelPolicy(true);
	}

	/** Hands a report to the loop; the condition runs there and decides whether it still matters. */
	void post(String reason, BooleanSupplier stillRelevant) {
		post(reason, stillRelevant, null);
	}

	/** As {@link #post(String, BooleanSupplier)}; {@code done} completes when it was handled (or dropped). */
	void post(String reason, BooleanSupplier stillRelevant, @Nullable CompletableFuture<Void> done) {
		boolean accepted = execute(() -> {
			try {
				if (stillRelevant.getAsBoolean()) {
					this.reconcile.accept(reason);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Unexpected failure keeping " + this.name + " registered: " + ex);
			}
			finally {
				if (done != null) {
					done.complete(null);
				}
			}
		});
		if (!accepted && done != null) {
			done.complete(null);
		}
	}

	/** Runs the task on the loop; {@code false} if the loop was shut down. */
	boolean execute(Runnable task) {
		try {
			this.executor.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/** Runs the task on the loop after the delay; {@code null} if the loop was shut down. */
	@Nullable ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		try {
			return this.executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	void scheduleWithFixedDelay(Runnable task, Duration period) {
		try {
			this.executor.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// shut down: nothing to check any more
		}
	}

	/** Accepts nothing new; what is queued still runs, then the thread ends. */
	void shutdown() {
		this.executor.shutdown();
	}

	/** Waits for a future for at most the timeout; says whether it completed. */
	static boolean waitQuietly(CompletableFuture<Void> done, Duration timeout) {
		try {
			done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return done.isDone();
		}
		catch (Exception ex) {
			// the loop goes on by itself; the caller does not wait longer
			return done.isDone();
		}
	}

}

package io.github.rpcdiscovery.test.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-loop load: calls are started at a fixed rate whether or not earlier ones have finished (a slow server
 * cannot slow the load down and hide its own latency), on a bounded pool, for at most a given time. Counts successes
 * and failures, keeps the first failures and every latency (measured from the scheduled start).
 */
public final class OpenLoopLoad implements AutoCloseable {

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((r) -> daemon(r, "load-ticker"));

	private final ExecutorService workers;

	private final Callable<?> call;

	private final AtomicInteger sent = new AtomicInteger();

	private final AtomicInteger succeeded = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final List<String> firstFailures = Collections.synchronizedList(new ArrayList<>());

	private final long[] latencyMicros;

	private final long startNanos = System.nanoTime();

	private OpenLoopLoad(int threads, int maxCalls, Callable<?> call) {
		this.workers = Executors.newFixedThreadPool(threads, (r) -> daemon(r, "load-worker"));
		this.call = call;
		this.latencyMicros = new long[maxCalls];
	}

	/**
	 * Starts calling.
	 * @param perSecond calls started per second
	 * @param threads how many calls may be in flight at once
	 * @param maxDuration the load stops by itself after this long
	 * @param call one call; an exception (or {@code false}) is a failure
	 */
	public static OpenLoopLoad start(int perSecond, int threads, Duration maxDuration, Callable<?> call) {
		int maxCalls = (int) Math.min(Integer.MAX_VALUE - 8, perSecond * Math.max(1, maxDuration.toSeconds() + 1));
		OpenLoopLoad load = new OpenLoopLoad(threads, maxCalls, call);
		long periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
		load.ticker.scheduleAtFixedRate(load::tick, 0, periodNanos, TimeUnit.NANOSECONDS);
		load.ticker.schedule(load::stopTicking, maxDuration.toMillis(), TimeUnit.MILLISECONDS);
		return load;
	}

	private void tick() {
		int index = this.sent.getAndIncrement();
		if (index >= this.latencyMicros.length) {
			stopTicking();
			return;
		}
		long scheduled = System.nanoTime();
		this.workers.execute(() -> run(index, scheduled));
	}

	private void run(int index, long scheduled) {
		boolean ok;
		String failure = null;
		try {
			Object result = this.call.call();
			ok = !Boolean.FALSE.equals(result);
			if (!ok) {
				failure = "returned false";
			}
		}
		catch (Exception ex) {
			ok = false;
			failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}
		this.latencyMicros[index] = (System.nanoTime() - scheduled) / 1000;
		if (ok) {
			this.succeeded.incrementAndGet();
		}
		else {
			this.failed.incrementAndGet();
			if (this.firstFailures.size() < 20) {
				this.firstFailures.add(String.format("t=%.3fs %s", (System.nanoTime() - this.startNanos) / 1e9, failure));
			}
		}
	}

	private void stopTicking() {
		this.ticker.shutdown();
	}

	/** Stops starting calls and waits for those in flight. */
	public void stop() {
		stopTicking();
		try {
			this.ticker.awaitTermination(5, TimeUnit.SECONDS);
			this.workers.shutdown();
			this.workers.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	public int sent() {
		return Math.min(this.sent.get(), this.latencyMicros.length);
	}

	public int succeeded() {
		return this.succeeded.get();
	}

	public int failed() {
		return this.failed.get();
	}

	public List<String> firstFailures() {
		return List.copyOf(this.firstFailures);
	}

	/** Latencies of the finished calls in microseconds, sorted (after {@link #stop()}). */
	public long[] sortedLatenciesMicros() {
		long[] copy = Arrays.copyOf(this.latencyMicros, sent());
		Arrays.sort(copy);
		return copy;
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	@Override
	public void close() {
		stop();
	}

}

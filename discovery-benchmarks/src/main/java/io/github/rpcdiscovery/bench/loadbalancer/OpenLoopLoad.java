package io.github.rpcdiscovery.bench.loadbalancer;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import io.github.rpcdiscovery.bench.Table;
import reactor.core.publisher.Mono;

/**
 * An open-loop load: request i is due at {@code start + i / rate} whether or not earlier requests have answered, and
 * its latency is measured from that due time, not from when it was actually sent, so a stalled sender cannot hide
 * latency (no coordinated omission). A request succeeds if it answers without error within the timeout.
 */
final class OpenLoopLoad {

	private final int ratePerSecond;

	private final Duration duration;

	private final Duration timeout;

	OpenLoopLoad(int ratePerSecond, Duration duration, Duration timeout) {
		this.ratePerSecond = ratePerSecond;
		this.duration = duration;
		this.timeout = timeout;
	}

	/**
	 * Sends the load and waits for the last answer.
	 * @param call one request
	 * @param atSecond called once at the start of each second of the run, on the sending thread (to inject faults)
	 */
	Result run(Supplier<Mono<String>> call, IntConsumer atSecond) throws InterruptedException {
		int total = (int) (this.duration.toMillis() * this.ratePerSecond / 1000);
		long interval = 1_000_000_000L / this.ratePerSecond;
		long[] latencies = new long[total];
		boolean[] succeeded = new boolean[total];
		CountDownLatch done = new CountDownLatch(total);
		long timeoutNanos = this.timeout.toNanos();
		long start = System.nanoTime() + 10_000_000;
		int second = -1;
		for (int i = 0; i < total; i++) {
			long due = start + i * interval;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			int elapsed = (int) ((due - start) / 1_000_000_000L);
			if (elapsed != second) {
				second = elapsed;
				atSecond.accept(second);
			}
			int index = i;
			call.get().subscribe((body) -> {
				latencies[index] = System.nanoTime() - due;
				succeeded[index] = latencies[index] <= timeoutNanos;
				done.countDown();
			}, (error) -> {
				latencies[index] = System.nanoTime() - due;
				done.countDown();
			});
		}
		if (!done.await(this.timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException(done.getCount() + " requests never answered");
		}
		return new Result(latencies, succeeded);
	}

	record Result(long[] latencies, boolean[] succeeded) {

		double percentileMillis(double p) {
			double[] sorted = Arrays.stream(this.latencies).mapToDouble((nanos) -> nanos / 1_000_000.0).sorted().toArray();
			return Table.percentile(sorted, p);
		}

		int requests() {
			return this.latencies.length;
		}

		int failures() {
			int failures = 0;
			for (boolean ok : this.succeeded) {
				failures += ok ? 0 : 1;
			}
			return failures;
		}

		double successPercent() {
			return 100.0 * (requests() - failures()) / requests();
		}

	}

}

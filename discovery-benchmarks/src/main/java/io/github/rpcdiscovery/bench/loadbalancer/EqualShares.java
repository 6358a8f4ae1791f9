package io.github.rpcdiscovery.bench.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import reactor.core.publisher.Mono;

/**
 * Equal backends, a fresh service (cold statistics), callers in a closed loop: the share of calls each backend got in
 * the first second, the first 10 seconds and the whole run. Checkpoints are cumulative from the start.
 */
final class EqualShares {

	private final Function<String, Mono<String>> call;

	private final Duration timeout;

	EqualShares(Function<String, Mono<String>> call, Duration timeout) {
		this.call = call;
		this.timeout = timeout;
	}

	/** The shares per checkpoint (in seconds), each a map of backend address to percent. */
	Map<Integer, Map<String, Double>> run(String service, List<String> backends, int callers, int seconds)
			throws Exception {
		List<Integer> checkpoints = new ArrayList<>(List.of(1, 10, seconds));
		checkpoints.removeIf((checkpoint) -> checkpoint > seconds);
		Map<Integer, Map<String, Double>> shares = new LinkedHashMap<>();
		Map<String, LongAdder> calls = new ConcurrentHashMap<>();
		backends.forEach((backend) -> calls.put(backend, new LongAdder()));
		long start = System.nanoTime();
		ExecutorService executor = Executors.newFixedThreadPool(callers);
		try {
			for (int checkpoint : checkpoints) {
				if (shares.containsKey(checkpoint)) {
					continue;
				}
				long until = start + TimeUnit.SECONDS.toNanos(checkpoint);
				List<Future<?>> running = new ArrayList<>();
				for (int i = 0; i < callers; i++) {
					running.add(executor.submit(() -> {
						while (System.nanoTime() - until < 0) {
							try {
								String backend = this.call.apply(service).block(this.timeout);
								LongAdder counter = (backend != null) ? calls.get(backend) : null;
								if (counter != null) {
									counter.increment();
								}
							}
							catch (RuntimeException ex) {
								// a failed call is no share; the tables of the other scenarios count failures
							}
						}
						return null;
					}));
				}
				for (Future<?> caller : running) {
					caller.get(checkpoint + 60L, TimeUnit.SECONDS);
				}
				shares.put(checkpoint, percentages(calls));
			}
		}
		finally {
			executor.shutdownNow();
		}
		return shares;
	}

	private static Map<String, Double> percentages(Map<String, LongAdder> calls) {
		long total = calls.values().stream().mapToLong(LongAdder::sum).sum();
		Map<String, Double> shares = new LinkedHashMap<>();
		calls.forEach((backend, count) -> shares.put(backend, (total > 0) ? 100.0 * count.sum() / total : 0));
		return shares;
	}

	/** The shares as {@code 33.1 / 33.5 / 33.4}, in the backends' order. */
	static String format(Map<String, Double> shares) {
		return String.join(" / ",
				shares.values().stream().map((share) -> String.format(Locale.ROOT, "%.1f", share)).toList());
	}

	/** The largest distance from an equal share, in points. */
	static double maxDeviation(Map<String, Double> shares) {
		double equal = 100.0 / shares.size();
		return shares.values().stream().mapToDouble((share) -> Math.abs(share - equal)).max().orElse(0);
	}

}

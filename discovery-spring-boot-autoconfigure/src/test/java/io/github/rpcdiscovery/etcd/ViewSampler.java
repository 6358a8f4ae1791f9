package io.github.rpcdiscovery.etcd;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples what a client sees (DiscoveryClient and LoadBalancer supplier) every 2 ms while a fault happens, and
 * records every sample in which an expected instance was missing: "no instance disappears at any point".
 */
final class ViewSampler implements AutoCloseable {

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "view-sampler");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicLong samples = new AtomicLong();

	private final List<String> violations = new CopyOnWriteArrayList<>();

	private ViewSampler(DiscoveryHarness harness, Map<String, Set<String>> expected) {
		this.executor.scheduleAtFixedRate(() -> {
			expected.forEach((serviceId, addresses) -> {
				check(serviceId + " in the DiscoveryClient", harness.addresses(serviceId), addresses);
				check(serviceId + " in the LoadBalancer supplier", harness.supplied(serviceId), addresses);
			});
			this.samples.incrementAndGet();
		}, 0, 2, TimeUnit.MILLISECONDS);
	}

	/** Starts sampling: every sample of each service must contain all of its expected addresses. */
	static ViewSampler expectAlways(DiscoveryHarness harness, Map<String, Set<String>> expected) {
		return new ViewSampler(harness, Map.copyOf(expected));
	}

	static ViewSampler expectAlways(DiscoveryHarness harness, String serviceId, Set<String> expected) {
		return expectAlways(harness, Map.of(serviceId, expected));
	}

	private void check(String view, List<String> seen, Set<String> expected) {
		if (!seen.containsAll(expected) && this.violations.size() < 20) {
			this.violations.add(view + ": " + seen + " at sample " + this.samples.get());
		}
	}

	long samples() {
		return this.samples.get();
	}

	List<String> violations() {
		return List.copyOf(this.violations);
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}

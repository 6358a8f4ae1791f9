package io.github.rpcdiscovery.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.rpcdiscovery.testing.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three equal backends on loopback behind a {@code @LoadBalanced} RestClient with P2C: from a cold start (the first
 * calls of a fresh service pay for new connections; the client's code is warmed on another backend first, so a
 * second holds enough calls to measure), each backend gets a third of the calls, within 3
 * points, in the first second and after it, for one caller calling in sequence and for 16 callers at once. Each case
 * has its own service, so it starts cold.
 */
class EvenSpreadIntegrationTest {

	static final int CONCURRENT_CALLERS = 16;

	/** Bounds every load loop, whatever the machine's speed. */
	static final int MAX_CALLS_PER_SECOND = 20_000;

	static final double TOLERANCE_POINTS = 3;

	/** A phase lasts its duration, or until this many calls if the machine is too busy to make them in time. */
	static final int MIN_CALLS = 150;

	static final List<HttpBackend> backends = new ArrayList<>();

	/** Warms the client's code (not the measured services' statistics or connections) before the cases. */
	static HttpBackend warmupBackend;

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() throws Exception {
		for (int i = 1; i <= 3; i++) {
			backends.add(HttpBackend.start("127.0.0." + i));
		}
		warmupBackend = HttpBackend.start("127.0.0.4");
		String endpoints = String.join(",", backends.stream().map(HttpBackend::address).toList());
		SpringApplication application = new SpringApplication(LoadBalancedCalls.ClientApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run("--rpc.clients[0].name=sequential", "--rpc.clients[0].endpoints=" + endpoints,
				"--rpc.clients[1].name=concurrent", "--rpc.clients[1].endpoints=" + endpoints,
				"--rpc.clients[2].name=warmup", "--rpc.clients[2].endpoints=" + warmupBackend.address(),
				"--rpc.load-balancer=p2c", "--spring.cloud.loadbalancer.retry.enabled=false");
		RestClient client = context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class).build();
		ExecutorService executor = Executors.newFixedThreadPool(CONCURRENT_CALLERS);
		try {
			List<Future<?>> warming = new ArrayList<>();
			for (int i = 0; i < CONCURRENT_CALLERS; i++) {
				warming.add(executor.submit(() -> {
					for (int n = 0; n < 200; n++) {
						client.get().uri("http://warmup/hello").retrieve().body(String.class);
					}
					return null;
				}));
			}
			for (Future<?> caller : warming) {
				caller.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@AfterAll
	static void stop() {
		context.close();
		backends.forEach(HttpBackend::close);
		warmupBackend.close();
	}

	@Test
	void sequentialCallsShareEquallyFromTheFirstSecond() throws Exception {
		assertEqualShares(callFor("sequential", 1, Duration.ofSeconds(1)), "first second, sequential");
		assertEqualShares(callFor("sequential", 1, Duration.ofSeconds(2)), "next 2 s, sequential");
	}

	@Test
	void concurrentCallersShareEquallyFromTheFirstSecond() throws Exception {
		assertEqualShares(callFor("concurrent", CONCURRENT_CALLERS, Duration.ofSeconds(1)),
				"first second, 16 callers");
		assertEqualShares(callFor("concurrent", CONCURRENT_CALLERS, Duration.ofSeconds(2)), "next 2 s, 16 callers");
	}

	/** Calls by backend address, made by {@code callers} threads calling in a loop for {@code duration}. */
	private static Map<String, LongAdder> callFor(String serviceId, int callers, Duration duration) throws Exception {
		Map<String, LongAdder> calls = new ConcurrentHashMap<>();
		LongAdder made = new LongAdder();
		long deadline = System.nanoTime() + duration.toNanos();
		long maxCallsPerCaller = MAX_CALLS_PER_SECOND * Math.max(1, duration.toSeconds()) / callers;
		RestClient client = context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class).build();
		ExecutorService executor = Executors.newFixedThreadPool(callers);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				running.add(executor.submit(() -> {
					for (long n = 0; n < maxCallsPerCaller
							&& (System.nanoTime() - deadline < 0 || made.sum() < MIN_CALLS); n++) {
						String backend = client.get().uri("http://" + serviceId + "/hello").retrieve().body(String.class);
						calls.computeIfAbsent(backend, (key) -> new LongAdder()).increment();
						made.increment();
					}
					return null;
				}));
			}
			for (Future<?> caller : running) {
				caller.get(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		return calls;
	}

	private static void assertEqualShares(Map<String, LongAdder> calls, String phase) {
		long total = calls.values().stream().mapToLong(LongAdder::sum).sum();
		assertThat(calls).as(phase).containsOnlyKeys(backends.stream().map(HttpBackend::address).toList());
		assertThat(total).as(phase + ": calls made").isGreaterThanOrEqualTo(MIN_CALLS);
		System.out.printf("%s: %d calls, %s%n", phase, total, calls);
		for (Map.Entry<String, LongAdder> entry : calls.entrySet()) {
			double share = 100.0 * entry.getValue().sum() / total;
			assertThat(share).as("%s: share of %s in %s", phase, entry.getKey(), calls)
				.isBetween(100.0 / 3 - TOLERANCE_POINTS, 100.0 / 3 + TOLERANCE_POINTS);
		}
	}

}

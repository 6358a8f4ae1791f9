package io.github.rpcdiscovery.bench.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.etcd.InstanceMetadataCodec;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Zone preference with spill-over, weights and a canary, through a {@code @LoadBalanced} WebClient, with instance
 * metadata in a real etcd. 2 zones of 3 loopback backends each (zone a 127.0.0.41-43, zone b 127.0.0.44-46, 20 ms),
 * the caller in zone a, an open-loop load; three phases: all healthy, one zone-a backend at 500 ms, all zone-a
 * backends at 500 ms. Three balancers over the same backends, one after the other in the same run: this starter's
 * P2C with zone preference, Spring Cloud's zone-preference supplier in front of round robin, and plain P2C without
 * zones (static endpoints, no metadata). Then weights 1 : 2 : 4 over 3 backends answering at once (10,000 calls), and
 * a 5 % canary (20,000 calls), one caller in sequence.
 * <p>
 * Usage: {@code RoutingComparison [--phase-seconds=20] [--rate=200] [--weighted-calls=10000]
 * [--canary-calls=20000]}
 */
public final class RoutingComparison {

	private static final Duration LATENCY = Duration.ofMillis(20);

	private static final Duration SLOW = Duration.ofMillis(500);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final String[] PHASES = { "healthy", "one a backend at 500 ms", "all a backends at 500 ms" };

	private RoutingComparison() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		int phaseSeconds = Integer.parseInt(options.getOrDefault("phase-seconds", "20"));
		int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
		int weightedCalls = Integer.parseInt(options.getOrDefault("weighted-calls", "10000"));
		int canaryCalls = Integer.parseInt(options.getOrDefault("canary-calls", "20000"));
		List<DelayedBackend> zoneA = new ArrayList<>();
		List<DelayedBackend> zoneB = new ArrayList<>();
		List<DelayedBackend> equal = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			zoneA.add(new DelayedBackend("127.0.0." + (41 + i), LATENCY));
			zoneB.add(new DelayedBackend("127.0.0." + (44 + i), LATENCY));
			equal.add(new DelayedBackend("127.0.0." + (51 + i), Duration.ZERO));
		}
		try (EtcdProcess etcd = EtcdProcess.startSingle()) {
			for (String key : List.of("zoned", "sczone")) {
				for (int i = 0; i < 3; i++) {
					register(etcd, key, "a" + i, zoneA.get(i), Map.of("zone", "a"));
					register(etcd, key, "b" + i, zoneB.get(i), Map.of("zone", "b"));
				}
			}
			for (int i = 0; i < 3; i++) {
				register(etcd, "weighted", "w" + i, equal.get(i), Map.of("weight", String.valueOf(1 << i)));
				register(etcd, "canary", "c" + i, equal.get(i), Map.of("version", (i == 2) ? "v2" : "v1"));
			}
			List<String> all = new ArrayList<>();
			zoneA.forEach((backend) -> all.add(backend.address()));
			zoneB.forEach((backend) -> all.add(backend.address()));
			String[] properties = { "--rpc.etcd.hosts=" + etcd.hostAndPort(), "--rpc.registration.enabled=false",
					"--spring.cloud.loadbalancer.zone=a", "--rpc.clients[0].name=zoned", "--rpc.clients[0].etcd.key=zoned",
					"--rpc.clients[1].name=sczone", "--rpc.clients[1].etcd.key=sczone",
					"--rpc.clients[1].load-balancer=round-robin",
					"--spring.cloud.loadbalancer.clients.sczone.configurations=zone-preference",
					"--rpc.clients[2].name=flat", "--rpc.clients[2].endpoints=" + String.join(",", all),
					"--rpc.clients[3].name=weighted", "--rpc.clients[3].etcd.key=weighted",
					"--rpc.clients[4].name=canary", "--rpc.clients[4].etcd.key=canary",
					"--rpc.clients[4].canary.version=v2", "--rpc.clients[4].canary.percent=5",
					"--logging.level.root=WARN", "--logging.level.reactor.netty=ERROR" };
			SpringApplication application = new SpringApplication(LoadBalancerComparison.ClientApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			try (ConfigurableApplicationContext context = application.run(properties)) {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				System.out.printf("2 zones x 3 backends at %d ms, caller in zone a, %d requests/s open loop, %d s per"
						+ " phase, timeout %d ms; load average %s%n%n", LATENCY.toMillis(), rate, phaseSeconds,
						TIMEOUT.toMillis(), LoadBalancerComparison.loadAverage());
				zones(client, zoneA, zoneB, rate, phaseSeconds);
				shares(client, "weighted", equal, weightedCalls, new double[] { 1 / 7.0, 2 / 7.0, 4 / 7.0 },
						"weights 1 : 2 : 4");
				shares(client, "canary", equal, canaryCalls, new double[] { 0.475, 0.475, 0.05 },
						"canary v2 at 5 % (v1, v1, v2)");
			}
		}
		finally {
			zoneA.forEach(DelayedBackend::close);
			zoneB.forEach(DelayedBackend::close);
			equal.forEach(DelayedBackend::close);
		}
	}

	private static void register(EtcdProcess etcd, String key, String id, DelayedBackend backend,
			Map<String, String> metadata) {
		etcd.etcdctl()
			.put(InstanceMetadataCodec.metadataKey(key, id), InstanceMetadataCodec.encode(backend.address(), metadata));
		etcd.etcdctl().put(key + "/" + id, backend.address());
	}

	private static void zones(WebClient client, List<DelayedBackend> zoneA, List<DelayedBackend> zoneB, int rate,
			int phaseSeconds) throws InterruptedException {
		Table table = new Table("balancer", "phase", "calls leaving zone a", "p50 ms", "p99 ms", "p99.9 ms",
				"success (1 s)", "load avg");
		Map<String, String> balancers = new LinkedHashMap<>();
		balancers.put("zoned", "this starter: P2C + zones");
		balancers.put("sczone", "Spring Cloud zone-preference + round robin");
		balancers.put("flat", "P2C without zones");
		for (Map.Entry<String, String> balancer : balancers.entrySet()) {
			String service = balancer.getKey();
			// warm: connections, the other zone's first probes, JIT
			new OpenLoopLoad(rate, Duration.ofSeconds(10), TIMEOUT).run(() -> call(client, service), (s) -> {
			});
			long[][] leaving = new long[PHASES.length + 1][];
			zoneA.forEach(DelayedBackend::resetCounts);
			zoneB.forEach(DelayedBackend::resetCounts);
			OpenLoopLoad.Result result = new OpenLoopLoad(rate, Duration.ofSeconds((long) phaseSeconds * PHASES.length),
					TIMEOUT)
				.run(() -> call(client, service), (second) -> {
					if (second % phaseSeconds == 0) {
						leaving[second / phaseSeconds] = new long[] { calls(zoneA), calls(zoneB) };
					}
					if (second == phaseSeconds) {
						zoneA.get(0).latency(SLOW);
					}
					if (second == 2 * phaseSeconds) {
						zoneA.forEach((backend) -> backend.latency(SLOW));
					}
				});
			leaving[PHASES.length] = new long[] { calls(zoneA), calls(zoneB) };
			zoneA.forEach((backend) -> backend.latency(LATENCY));
			int perPhase = rate * phaseSeconds;
			for (int phase = 0; phase < PHASES.length; phase++) {
				long toA = leaving[phase + 1][0] - leaving[phase][0];
				long toB = leaving[phase + 1][1] - leaving[phase][1];
				long[] latencies = Arrays.copyOfRange(result.latencies(), phase * perPhase, (phase + 1) * perPhase);
				boolean[] succeeded = Arrays.copyOfRange(result.succeeded(), phase * perPhase, (phase + 1) * perPhase);
				OpenLoopLoad.Result part = new OpenLoopLoad.Result(latencies, succeeded);
				table.row(balancer.getValue(), PHASES[phase],
						String.format(Locale.ROOT, "%.2f %% (%d of %d)", 100.0 * toB / Math.max(1, toA + toB), toB,
								toA + toB),
						ms(part.percentileMillis(50)), ms(part.percentileMillis(99)), ms(part.percentileMillis(99.9)),
						String.format(Locale.ROOT, "%.2f %%", part.successPercent()),
						LoadBalancerComparison.loadAverage());
			}
		}
		System.out.println("Zones: share of calls leaving zone a and latency per phase");
		System.out.println();
		System.out.println(table);
	}

	private static long calls(List<DelayedBackend> backends) {
		return backends.stream().mapToLong(DelayedBackend::calls).sum();
	}

	/**
	 * Calls from one caller in sequence (the harder case for shares: no calls in flight to spread by); each backend's
	 * share against the expected one.
	 */
	private static void shares(WebClient client, String service, List<DelayedBackend> backends, int calls,
			double[] expected, String title) throws Exception {
		for (int i = 0; i < 200; i++) {
			call(client, service).block(TIMEOUT);
		}
		backends.forEach(DelayedBackend::resetCounts);
		AtomicInteger left = new AtomicInteger(calls);
		ExecutorService callers = Executors.newFixedThreadPool(1);
		List<Future<?>> running = new ArrayList<>();
		for (int t = 0; t < 1; t++) {
			running.add(callers.submit(() -> {
				while (left.getAndDecrement() > 0) {
					call(client, service).block(TIMEOUT);
				}
			}));
		}
		for (Future<?> future : running) {
			future.get();
		}
		callers.shutdown();
		Table table = new Table("backend", "expected share", "observed share", "calls", "deviation (relative)");
		for (int i = 0; i < backends.size(); i++) {
			long made = backends.get(i).calls();
			double share = (double) made / calls;
			table.row(backends.get(i).address(), pct(expected[i]), pct(share), made,
					String.format(Locale.ROOT, "%+.1f %%", 100 * (share - expected[i]) / expected[i]));
		}
		System.out.printf("%n%s, %d calls from one caller in sequence, backends answering at once; load average %s%n%n", title, calls,
				LoadBalancerComparison.loadAverage());
		System.out.println(table);
	}

	private static Mono<String> call(WebClient client, String service) {
		return client.get().uri("http://" + service + "/hello").retrieve().bodyToMono(String.class);
	}

	private static String pct(double share) {
		return String.format(Locale.ROOT, "%.2f %%", 100 * share);
	}

	private static String ms(double millis) {
		return String.format(Locale.ROOT, "%.1f", millis);
	}

}

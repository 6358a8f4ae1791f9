package io.github.rpcdiscovery.bench.loadbalancer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

import io.github.rpcdiscovery.balancer.BalancingPolicy;
import io.github.rpcdiscovery.balancer.NodeState;
import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancers;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Buoyant's "Beyond Round Robin" experiment scaled to a 2-core machine, through a {@code @LoadBalanced} WebClient:
 * 5 backends on loopback at about 20 ms, an open-loop load of 200 requests/s for 60 s; at 15 s one backend turns to
 * 500 ms for 30 s, then recovers. Each policy runs once without the fault (its baseline) and once with it. A second
 * scenario kills one backend (its port closes and its connections are reset) a third of the way through a run, with
 * Spring Cloud LoadBalancer's retry on (one retry on another instance). Before both, 3 equal backends answering at once
 * and a fresh service per policy and caller count: the share of calls each got with one caller calling in sequence
 * and with 16 at once, in the first second, the first 10 s and the whole run.
 * <p>
 * Usage: {@code LoadBalancerComparison [--seconds=60] [--kill-seconds=30] [--equal-seconds=60] [--rate=200]
 * [--policies=round-robin,random,p2c]}
 */
public final class LoadBalancerComparison {

	private static final Duration LATENCY = Duration.ofMillis(20);

	private static final Duration SLOW = Duration.ofMillis(500);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final int BACKENDS = 5;

	private static final int EQUAL_BACKENDS = 3;

	private static final int[] EQUAL_CALLERS = { 1, 16 };

	private LoadBalancerComparison() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
		int killSeconds = Integer.parseInt(options.getOrDefault("kill-seconds", "30"));
		int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
		int equalSeconds = Integer.parseInt(options.getOrDefault("equal-seconds", "60"));
		List<BalancingPolicy> policies = new ArrayList<>();
		for (String name : options.getOrDefault("policies", "round-robin,random,p2c").split(",")) {
			policies.add(BalancingPolicy.valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
		}

		List<DelayedBackend> shared = backends(1);
		Map<BalancingPolicy, List<DelayedBackend>> killSets = new LinkedHashMap<>();
		List<DelayedBackend> equal = new ArrayList<>();
		for (int i = 0; i < EQUAL_BACKENDS; i++) {
			equal.add(new DelayedBackend("127.0.0." + (101 + i), Duration.ZERO));
		}
		List<String> properties = new ArrayList<>();
		declare(properties, "warmup", BalancingPolicy.P2C, shared);
		for (BalancingPolicy policy : policies) {
			for (int callers : EQUAL_CALLERS) {
				declare(properties, "equal-" + callers + "-" + policy.value(), policy, equal);
			}
			declare(properties, "base-" + policy.value(), policy, shared);
			declare(properties, "slow-" + policy.value(), policy, shared);
			List<DelayedBackend> killSet = backends(10 + 10 * killSets.size());
			killSets.put(policy, killSet);
			declare(properties, "kill-" + policy.value(), policy, killSet);
		}
		properties.add("--logging.level.root=WARN");
		properties.add("--logging.level.io.github.rpcdiscovery.loadbalancer=INFO");
		// timeouts and resets are the experiment; Reactor Netty would log each one
		properties.add("--logging.level.reactor.netty=ERROR");
		SpringApplication application = new SpringApplication(ClientApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run(properties.toArray(String[]::new))) {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			ServiceBalancers balancers = context.getBean(ServiceBalancers.class);
			System.out.printf("%d backends at %d ms, %d requests/s open loop, timeout %d ms; load average %s%n",
					BACKENDS, LATENCY.toMillis(), rate, TIMEOUT.toMillis(), loadAverage());
			new OpenLoopLoad(rate, Duration.ofSeconds(10), TIMEOUT).run(() -> call(client, "warmup"), (s) -> {
			});

			Table equalTable = new Table("balancer", "callers", "shares, first 1 s", "first 10 s",
					"all " + equalSeconds + " s", "max deviation (points) 1 s / 10 s / all", "load avg");
			EqualShares shares = new EqualShares((service) -> call(client, service), TIMEOUT);
			List<String> equalAddresses = equal.stream().map(DelayedBackend::address).toList();
			for (BalancingPolicy policy : policies) {
				for (int callers : EQUAL_CALLERS) {
					Map<Integer, Map<String, Double>> result = shares.run("equal-" + callers + "-" + policy.value(),
							equalAddresses, callers, equalSeconds);
					List<String> cells = new ArrayList<>(List.of(policy.value(), String.valueOf(callers)));
					List<String> deviations = new ArrayList<>();
					for (Map<String, Double> checkpoint : result.values()) {
						cells.add(EqualShares.format(checkpoint));
						deviations.add(String.format(Locale.ROOT, "%.1f", EqualShares.maxDeviation(checkpoint)));
					}
					while (cells.size() < 5) {
						cells.add("-"); // a run shorter than 10 s has fewer checkpoints
					}
					cells.add(String.join(" / ", deviations));
					cells.add(loadAverage());
					equalTable.row(cells.toArray(String[]::new));
				}
			}
			System.out.println();
			System.out.printf("Scenario 0: %d equal backends answering at once, a fresh service per row, callers in a"
					+ " closed loop; shares in %% of calls, cumulative from the start%n%n", EQUAL_BACKENDS);
			System.out.println(equalTable);

			Table slowTable = new Table("balancer", "fault", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms",
					"success (1 s)", "to slow backend", "load avg");
			Map<BalancingPolicy, double[]> p99s = new LinkedHashMap<>();
			Map<BalancingPolicy, Double> faultSuccess = new LinkedHashMap<>();
			int faultStart = seconds / 4;
			int faultEnd = seconds * 3 / 4;
			for (BalancingPolicy policy : policies) {
				double[] p99 = new double[2];
				for (boolean fault : new boolean[] { false, true }) {
					shared.forEach(DelayedBackend::resetCounts);
					DelayedBackend slow = shared.get(0);
					IntConsumer faults = (second) -> {
						if (fault && second == faultStart) {
							slow.latency(SLOW);
						}
						if (second == faultEnd) {
							slow.latency(LATENCY);
						}
					};
					String service = (fault ? "slow-" : "base-") + policy.value();
					OpenLoopLoad.Result result = new OpenLoopLoad(rate, Duration.ofSeconds(seconds), TIMEOUT)
						.run(() -> call(client, service), faults);
					slow.latency(LATENCY);
					p99[fault ? 1 : 0] = result.percentileMillis(99);
					if (fault) {
						faultSuccess.put(policy, result.successPercent());
					}
					slowTable.row(policy.value(), fault ? "slow " + faultStart + "-" + faultEnd + " s" : "none",
							ms(result.percentileMillis(50)), ms(result.percentileMillis(95)), ms(p99[fault ? 1 : 0]),
							ms(result.percentileMillis(99.9)), ms(result.percentileMillis(100)),
							String.format(Locale.ROOT, "%.2f %%", result.successPercent()),
							fault ? slow.slowCalls() + " of " + result.requests() : "-", loadAverage());
				}
				p99s.put(policy, p99);
			}
			System.out.println();
			System.out.printf("Scenario 1: one backend at %d ms for %d s of %d s%n%n", SLOW.toMillis(),
					faultEnd - faultStart, seconds);
			System.out.println(slowTable);
			for (Map.Entry<BalancingPolicy, double[]> entry : p99s.entrySet()) {
				System.out.printf(Locale.ROOT, "%s: p99 with the fault / p99 without = %.2f; success %.2f %%%n",
						entry.getKey().value(), entry.getValue()[1] / entry.getValue()[0],
						faultSuccess.get(entry.getKey()));
			}

			Table killTable = new Table("balancer", "requests", "caller-visible failures", "p99 ms", "p99.9 ms",
					"attempts on the killed backend", "load avg");
			int killAt = killSeconds / 3;
			for (BalancingPolicy policy : policies) {
				List<DelayedBackend> set = killSets.get(policy);
				DelayedBackend victim = set.get(0);
				String service = "kill-" + policy.value();
				IntConsumer kill = (second) -> {
					if (second == killAt) {
						victim.kill();
					}
				};
				OpenLoopLoad.Result result = new OpenLoopLoad(rate, Duration.ofSeconds(killSeconds), TIMEOUT)
					.run(() -> call(client, service), kill);
				NodeState killed = balancers.state(service)
					.orElseThrow()
					.nodes()
					.stream()
					.filter((node) -> node.id().equals(victim.address()))
					.findFirst()
					.orElseThrow();
				killTable.row(policy.value(), result.requests(), result.failures(), ms(result.percentileMillis(99)),
						ms(result.percentileMillis(99.9)), killed.failures() + " failed, " + killed.ejections()
								+ " ejections in a row", loadAverage());
			}
			System.out.println();
			System.out.printf("Scenario 2: one of %d backends killed at %d s of %d s; retry on (1 retry on another"
					+ " instance)%n%n", BACKENDS, killAt, killSeconds);
			System.out.println(killTable);
		}
		finally {
			shared.forEach(DelayedBackend::close);
			equal.forEach(DelayedBackend::close);
			killSets.values().forEach((set) -> set.forEach(DelayedBackend::close));
		}
	}

	private static Mono<String> call(WebClient client, String service) {
		return client.get().uri("http://" + service + "/hello").retrieve().bodyToMono(String.class);
	}

	private static List<DelayedBackend> backends(int firstHost) {
		List<DelayedBackend> backends = new ArrayList<>();
		for (int i = 0; i < BACKENDS; i++) {
			backends.add(new DelayedBackend("127.0.0." + (firstHost + i), LATENCY));
		}
		return backends;
	}

	private static void declare(List<String> properties, String service, BalancingPolicy policy,
			List<DelayedBackend> backends) {
		int index = properties.size() / 3;
		properties.add("--rpc.clients[" + index + "].name=" + service);
		properties.add("--rpc.clients[" + index + "].endpoints="
				+ String.join(",", backends.stream().map(DelayedBackend::address).toList()));
		properties.add("--rpc.clients[" + index + "].load-balancer=" + policy.value());
	}

	private static String ms(double millis) {
		return String.format(Locale.ROOT, "%.1f", millis);
	}

	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		return options;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApplication {

		@Bean
		@LoadBalanced
		WebClient.Builder loadBalancedWebClientBuilder() {
			ConnectionProvider connections = ConnectionProvider.builder("bench")
				.maxConnections(2000)
				.pendingAcquireMaxCount(-1)
				.build();
			HttpClient http = HttpClient.create(connections)
				.responseTimeout(TIMEOUT)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT.toMillis());
			return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http));
		}

	}

}

package io.github.rpcdiscovery.bench.shutdown;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;

import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.test.app.ManagedApp;
import io.github.rpcdiscovery.test.app.RollingRestart;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Rolling restarts under load: 3 registered servers (own JVMs, 127.0.0.71-73), a client sending a steady open-loop
 * load through a {@code @LoadBalanced} RestClient; every server restarted in turn, N rounds; once with the client's
 * retries off, once on. Prints requests, failures, latency and each server's shutdown time.
 * <pre>
 * java -cp ... io.github.rpcdiscovery.bench.shutdown.RollingRestartBenchmark [rounds=10] [rps=200]
 * </pre>
 */
public final class RollingRestartBenchmark {

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
		int rps = (args.length > 1) ? Integer.parseInt(args[1]) : 200;
		Table table = new Table("client retries", "requests", "failed", "p50 ms", "p99 ms", "max ms",
				"server shutdown ms (min / avg / max)", "restarts");
		try (EtcdProcess etcd = EtcdProcess.startSingle()) {
			for (boolean retry : new boolean[] { false, true }) {
				RollingRestart.Result result = run(etcd, rounds, rps, retry);
				LongSummaryStatistics shutdown = result.shutdownMillis().stream().mapToLong(Long::longValue).summaryStatistics();
				double[] latencies = java.util.Arrays.stream(result.latenciesMicros()).mapToDouble((v) -> v / 1000.0).toArray();
				table.row(retry ? "on" : "off", result.requests(), result.failed(),
						String.format("%.1f", Table.percentile(latencies, 50)),
						String.format("%.1f", Table.percentile(latencies, 99)),
						String.format("%.1f", latencies[latencies.length - 1]),
						shutdown.getMin() + " / " + Math.round(shutdown.getAverage()) + " / " + shutdown.getMax(),
						result.shutdownMillis().size());
				if (!result.firstFailures().isEmpty()) {
					System.out.println("first failures (retries " + (retry ? "on" : "off") + "): " + result.firstFailures());
				}
			}
		}
		System.out.println();
		System.out.println("Rolling restarts: 3 servers, " + rounds + " rounds (each server restarted once per round), "
				+ rps + " requests/s open loop, rpc.shutdown.drain=1s (default)");
		System.out.println(table);
		System.exit(0);
	}

	private static RollingRestart.Result run(EtcdProcess etcd, int rounds, int rps, boolean retry) throws Exception {
		// a service of its own per run: the previous run's servers die with SIGKILL and their keys live on for a TTL
		String service = "rolling.bench." + (retry ? "retries" : "no-retries");
		Path work = Files.createTempDirectory("rolling-restart-bench-");
		List<ManagedApp> servers = new ArrayList<>();
		SpringApplication application = new SpringApplication(Client.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext client = application.run("--rpc.etcd.hosts=" + etcd.hostAndPort(),
				"--spring.cloud.loadbalancer.retry.enabled=" + retry, "--logging.level.root=WARN")) {
			for (int i = 0; i < 3; i++) {
				servers.add(server(etcd, work, service, i).start());
			}
			DiscoveryClient discovery = client.getBean(DiscoveryClient.class);
			RestClient rest = client.getBean(RestClient.Builder.class).build();
			return RollingRestart.run(servers, (i) -> server(etcd, work, service, i),
					() -> discovery.getInstances(service).size(),
					() -> "pong".equals(rest.get().uri("http://" + service + "/ping").retrieve().body(String.class)),
					rounds, rps);
		}
		finally {
			servers.forEach(ManagedApp::kill);
		}
	}

	private static ManagedApp server(EtcdProcess etcd, Path work, String service, int i) {
		String host = "127.0.0.7" + (i + 1);
		return ManagedApp.main("server-" + (i + 1) + "-" + System.nanoTime(), System.getProperty("java.class.path"),
				PingServer.class.getName(), work, List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx256m"),
				RollingRestart.serverArguments(service, etcd.hostAndPort(), host, "--logging.level.root=WARN"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Client {

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
			JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
			factory.setReadTimeout(Duration.ofSeconds(5));
			return RestClient.builder().requestFactory(factory);
		}

	}

}

package io.github.rpcdiscovery.etcd.registration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.test.net.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registration whose own-key watch ended because etcd compacted the history it was to resume from (its connection
 * was cut while 200 writes and a compaction happened) re-creates the watch once and then stays quiet: no loop of
 * Watch and Range requests against etcd, counted by etcd itself ({@code grpc_server_started_total} on
 * {@code /metrics}). The registration stays, and a deletion of its key afterwards is still noticed and put right.
 */
class OwnKeyWatchAfterCompactionTest {

	private static final Pattern STARTED = Pattern.compile("^grpc_server_started_total\\{[^}]*} (\\d+(?:\\.\\d+)?)",
			Pattern.MULTILINE);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private EtcdProcess etcd;

	private TcpProxy proxy;

	private EtcdConnections connections;

	private EtcdServiceRegistry registry;

	private Client direct;

	@BeforeEach
	void start() {
		this.etcd = EtcdProcess.startSingle();
		this.proxy = TcpProxy.start("127.0.0.1", this.etcd.clientPort());
		this.connections = new EtcdConnections();
		this.registry = new EtcdServiceRegistry(this.connections, EtcdCluster.of(List.of(this.proxy.address())), false);
		this.direct = Client.builder().endpoints(this.etcd.clientUrl()).build();
	}

	@AfterEach
	void stop() {
		this.registry.close();
		this.connections.close();
		this.direct.close();
		this.proxy.close();
		this.etcd.close();
	}

	@Test
	void aWatchEndedByCompactionIsReplacedOnceAndTheRegistrationStaysQuiet() throws Exception {
		EtcdRegistration registration = new EtcdRegistration("compacted.rpc", 0, Duration.ofSeconds(10),
				Map.of("scheme", "http"), new HostAndPort("127.0.0.21", 8001));
		this.registry.register(registration);
		String key = this.registry.currentKey(registration).orElseThrow();
		EtcdState state = new EtcdState(this.etcd.etcdctl());
		assertThat(state.entries("compacted.rpc/")).containsOnlyKeys(key);

		long watchesBefore = watchesStarted();
		this.proxy.refuse();
		long revision = 0;
		for (int i = 0; i < 200; i++) {
			revision = this.direct.getKVClient()
				.put(bytes("other/" + i), bytes("v" + i))
				.get(5, TimeUnit.SECONDS)
				.getHeader()
				.getRevision();
		}
		this.direct.getKVClient().compact(revision).get(5, TimeUnit.SECONDS);
		this.proxy.heal();

		// each key's watch resumes, finds its history compacted and is replaced; from then on all is quiet
		await().atMost(Duration.ofSeconds(15)).until(() -> watchesStarted() >= watchesBefore + 4);
		long before = requestsStarted();
		Map<String, Long> methodsBefore = byMethod(metrics());
		await().during(Duration.ofSeconds(10))
			.atMost(Duration.ofSeconds(12))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(requestsStarted() - before)
				.as(() -> "requests etcd started since, by method: " + delta(methodsBefore, byMethod(metricsQuietly())))
				.isLessThan(10));

		assertThat(state.entries("compacted.rpc/")).containsOnlyKeys(key);
		this.etcd.etcdctl().run("del", key);
		await().atMost(Duration.ofSeconds(5)).until(() -> state.entries("compacted.rpc/").containsKey(key));
	}

	/** Every RPC etcd has started, of any method (unary calls and streams). */
	private long requestsStarted() throws IOException, InterruptedException {
		return sum(metrics(), null);
	}

	private long watchesStarted() throws IOException, InterruptedException {
		return sum(metrics(), "grpc_method=\"Watch\"");
	}

	private static long sum(String metrics, String filter) {
		long total = 0;
		for (String line : metrics.lines().toList()) {
			if (filter != null && !line.contains(filter)) {
				continue;
			}
			Matcher matcher = STARTED.matcher(line);
			if (matcher.find()) {
				total += (long) Double.parseDouble(matcher.group(1));
			}
		}
		return total;
	}

	private String metrics() throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.etcd.clientUrl() + "/metrics"))
			.timeout(Duration.ofSeconds(5))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	private static Map<String, Long> byMethod(String metrics) {
		Map<String, Long> counts = new java.util.TreeMap<>();
		Matcher method = Pattern.compile("^grpc_server_started_total\\{.*grpc_method=\"(\\w+)\".*} (\\d+)", Pattern.MULTILINE)
			.matcher(metrics);
		while (method.find()) {
			counts.merge(method.group(1), Long.parseLong(method.group(2)), Long::sum);
		}
		return counts;
	}

	private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> delta = new java.util.TreeMap<>();
		after.forEach((method, count) -> {
			long grown = count - before.getOrDefault(method, 0L);
			if (grown > 0) {
				delta.put(method, grown);
			}
		});
		return delta;
	}

	private String metricsQuietly() {
		try {
			return metrics();
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}

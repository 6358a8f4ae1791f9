package io.github.rpcdiscovery.sample.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.testing.etcd.EmbeddedEtcd;
import io.github.rpcdiscovery.testing.etcd.EmbeddedEtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client registers itself in a real etcd and calls a service it finds there: {@code @EmbeddedEtcd} starts the
 * etcd binary for this class and is the application's {@code rpc.etcd.hosts}, which no file or property here names.
 * The called service is registered the go-zero way ({@code <key>/<id> = host:port}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "rpc.listen-on=127.0.0.1")
@EmbeddedEtcd
class SampleClientEmbeddedEtcdTest {

	@LocalServerPort
	int port;

	private HttpServer backend;

	@AfterEach
	void stopBackend() {
		if (this.backend != null) {
			this.backend.stop(0);
		}
	}

	@Test
	void registersItselfInEtcd() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(instancesOf("sample-client")).contains("127.0.0.1:" + this.port));
	}

	@Test
	void callsAServiceRegisteredInEtcd(EmbeddedEtcdServer etcd) throws Exception {
		this.backend = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
		String address = "127.0.0.1:" + this.backend.getAddress().getPort();
		this.backend.createContext("/hello", (exchange) -> {
			byte[] body = ("{\"instance\":\"" + address + "\"}").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.backend.start();
		put(etcd, "hello-backend/1", address);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(instancesOf("hello-backend")).containsExactly(address));
		Map<String, Object> result = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/call/hello-backend?n=3")
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		assertThat(result).containsEntry("calls", Map.of(address, 3)).containsEntry("failures", 0);
	}

	private List<String> instancesOf(String serviceId) {
		return RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/instances/{id}", serviceId)
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
	}

	private static void put(EmbeddedEtcdServer etcd, String key, String value) throws Exception {
		try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
			client.getKVClient()
				.put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value, StandardCharsets.UTF_8))
				.get(5, TimeUnit.SECONDS);
		}
	}

}

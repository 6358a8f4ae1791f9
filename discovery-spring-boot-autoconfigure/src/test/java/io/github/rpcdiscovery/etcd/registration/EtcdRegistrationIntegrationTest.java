package io.github.rpcdiscovery.etcd.registration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.discovery.event.InstancePreRegisteredEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A web application registers itself in a real etcd, in go-zero's wire format, when it is ready; takes itself out and
 * back with the status; puts back a key someone deleted; and revokes its lease on shutdown before the web server
 * stops accepting.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdRegistrationIntegrationTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private EtcdState state;

	@BeforeEach
	void clean() {
		etcd.process().etcdctl().run("del", "", "--from-key");
		this.state = new EtcdState(etcd.process().etcdctl());
	}

	private List<String> properties(String... more) {
		List<String> all = new java.util.ArrayList<>(List.of("spring.application.name=user.rpc",
				"rpc.etcd.hosts=" + etcd.hostAndPort(), "rpc.listen-on=127.0.0.3", "server.address=127.0.0.3"));
		all.addAll(List.of(more));
		return all;
	}

	@Test
	void registersTheGoZeroKeyWhenReadyAndRevokesTheLeaseOnClose(CapturedOutput output) {
		ConfigurableApplicationContext app = RegistrationTestApp.start(
				properties("rpc.registration.zone=z1", "rpc.registration.weight=10", "rpc.registration.metadata.team=a b"));
		int port = port(app);
		Map<String, String> instances = this.state.entries("user.rpc/");
		assertThat(instances).hasSize(1);
		String key = instances.keySet().iterator().next();
		assertThat(instances.get(key)).isEqualTo("127.0.0.3:" + port);
		long lease = this.state.leaseOf(key);
		assertThat(key).isEqualTo("user.rpc/" + lease);
		assertThat(this.state.leasesHex()).containsExactly(ActiveLease.hex(lease));
		assertThat(this.state.ttl(lease)[0]).isEqualTo(10);
		assertThat(this.state.entries("_rpc-meta/user.rpc/")).containsExactly(Map.entry("_rpc-meta/user.rpc/" + lease,
				"address=127.0.0.3%3A" + port + "&scheme=http&zone=z1&weight=10&team=a+b"));
		assertThat(this.state.leaseOf("_rpc-meta/user.rpc/" + lease)).isEqualTo(lease);
		assertThat(output).containsOnlyOnce("Registered user.rpc in etcd[" + etcd.hostAndPort() + "]: user.rpc/"
				+ lease + " = 127.0.0.3:" + port + " (lease " + ActiveLease.hex(lease) + " (" + lease + "), TTL 10s)");

		app.close();

		assertThat(this.state.entries("")).isEmpty();
		assertThat(this.state.leasesHex()).isEmpty();
		assertThat(output).containsOnlyOnce("Deregistered: user.rpc in etcd[" + etcd.hostAndPort() + "] (revoked lease "
				+ ActiveLease.hex(lease));
	}

	@Test
	void deregistersBeforeTheWebServerStopsAccepting() {
		ShutdownProbe.seen.clear();
		ConfigurableApplicationContext app = RegistrationTestApp.start(properties("server.shutdown=graceful"),
				ShutdownProbe.class);
		ShutdownProbe.port = port(app);
		assertThat(this.state.entries("user.rpc/")).hasSize(1);
		ShutdownProbe.state = this.state;

		app.close();

		// the probe ran after our deregistration, while the web server still answered
		assertThat(ShutdownProbe.seen).containsExactly("keys: {}", "ping: 200 pong");
		assertThat(get(ShutdownProbe.port, "/ping")).startsWith("refused");
	}

	@Test
	void outOfServiceTakesTheKeyOutAndUpPutsItBackThroughTheActuatorEndpoint() {
		ConfigurableApplicationContext app = RegistrationTestApp.start(
				properties("management.endpoints.web.exposure.include=serviceregistry"));
		try {
			int port = port(app);
			assertThat(get(port, "/actuator/serviceregistry")).isEqualTo("200 UP");
			String first = this.state.entries("user.rpc/").keySet().iterator().next();

			assertThat(post(port, "/actuator/serviceregistry", "{\"status\":\"OUT_OF_SERVICE\"}")).startsWith("200");
			assertThat(this.state.entries("")).isEmpty();
			assertThat(this.state.leasesHex()).isEmpty();
			assertThat(get(port, "/actuator/serviceregistry")).isEqualTo("200 OUT_OF_SERVICE");
			assertThat(get(port, "/ping")).isEqualTo("200 pong");

			assertThat(post(port, "/actuator/serviceregistry", "{\"status\":\"UP\"}")).startsWith("200");
			Map<String, String> back = this.state.entries("user.rpc/");
			assertThat(back.values()).containsExactly("127.0.0.3:" + port);
			assertThat(back.keySet()).doesNotContain(first);
			assertThat(this.state.entries("_rpc-meta/user.rpc/")).hasSize(1);
			assertThat(get(port, "/actuator/serviceregistry")).isEqualTo("200 UP");

			assertThat(post(port, "/actuator/serviceregistry", "{\"status\":\"SLEEPY\"}")).doesNotStartWith("2");
			assertThat(this.state.entries("user.rpc/")).hasSize(1);
		}
		finally {
			app.close();
		}
	}

	@Test
	void putsBackItsOwnKeyAndMetadataWhenSomeoneDeletesThem(CapturedOutput output) {
		ConfigurableApplicationContext app = RegistrationTestApp.start(properties());
		try {
			int port = port(app);
			String key = this.state.entries("user.rpc/").keySet().iterator().next();
			long lease = this.state.leaseOf(key);

			etcd.process().etcdctl().delete(key);
			await().atMost(Duration.ofSeconds(3))
				.until(() -> this.state.entries("user.rpc/"), (entries) -> !entries.isEmpty());
			assertThat(this.state.entries("user.rpc/")).containsExactly(Map.entry(key, "127.0.0.3:" + port));
			assertThat(this.state.leaseOf(key)).isEqualTo(lease);
			assertThat(output).contains("Put back " + key + " = 127.0.0.3:" + port + " on lease "
					+ ActiveLease.hex(lease));

			etcd.process().etcdctl().delete("_rpc-meta/" + key);
			await().atMost(Duration.ofSeconds(3))
				.until(() -> this.state.entries("_rpc-meta/"), (entries) -> entries.containsKey("_rpc-meta/" + key));
			assertThat(this.state.leaseOf("_rpc-meta/" + key)).isEqualTo(lease);
			assertThat(this.state.leasesHex()).containsExactly(ActiveLease.hex(lease));
		}
		finally {
			app.close();
		}
	}

	@Test
	void aFixedIdIsTheKeySuffix() {
		ConfigurableApplicationContext app = RegistrationTestApp
			.start(properties("rpc.etcd.id=42", "rpc.etcd.ttl=5", "rpc.etcd.request-timeout=2s"));
		try {
			assertThat(this.state.entries("user.rpc/")).containsOnlyKeys("user.rpc/42");
			assertThat(this.state.ttl(this.state.leaseOf("user.rpc/42"))[0]).isEqualTo(5);
			assertThat(this.state.entries("_rpc-meta/")).containsOnlyKeys("_rpc-meta/user.rpc/42");
		}
		finally {
			app.close();
		}
		assertThat(this.state.entries("")).isEmpty();
	}

	@Test
	void aConsumerRegistersUnderItsOwnNameNeverUnderTheKeyItCalls() {
		ConfigurableApplicationContext app = RegistrationTestApp.start(List.of("spring.application.name=consumer",
				"rpc.etcd.hosts=" + etcd.hostAndPort(), "rpc.listen-on=127.0.0.4", "server.address=127.0.0.4",
				"rpc.clients[0].etcd.key=user.rpc"));
		try {
			assertThat(this.state.entries("consumer/").values()).containsExactly("127.0.0.4:" + port(app));
			assertThat(this.state.entries("user.rpc")).isEmpty();
		}
		finally {
			app.close();
		}
	}

	@Test
	void theKeyAndAddressComeFromGoZeroYamlAndTheListenOnPortWins() {
		ConfigurableApplicationContext app = RegistrationTestApp.start(List.of("spring.application.name=ignored",
				"Rpc.Etcd.Hosts[0]=" + etcd.hostAndPort(), "Rpc.Etcd.Key=order.rpc", "Rpc.ListenOn=127.0.0.5:9090",
				"server.address=127.0.0.5"));
		try {
			assertThat(this.state.entries("order.rpc/").values()).containsExactly("127.0.0.5:9090");
			assertThat(this.state.entries("ignored")).isEmpty();
		}
		finally {
			app.close();
		}
	}

	@Test
	void aNonWebApplicationRegistersOnlyWithAPortInListenOn(CapturedOutput output) {
		try (ConfigurableApplicationContext app = RegistrationTestApp.start(WebApplicationType.NONE,
				properties("rpc.listen-on=127.0.0.6"))) {
			assertThat(this.state.entries("")).isEmpty();
			assertThat(output).contains("Not registering in etcd: this application has no web server");
		}
		try (ConfigurableApplicationContext app = RegistrationTestApp.start(WebApplicationType.NONE,
				properties("rpc.listen-on=127.0.0.6:7070"))) {
			assertThat(this.state.entries("user.rpc/").values()).containsExactly("127.0.0.6:7070");
		}
		assertThat(this.state.entries("")).isEmpty();
	}

	@Test
	void publishesTheSpringCloudRegistrationEvents() {
		EventRecorder.events.clear();
		try (ConfigurableApplicationContext app = RegistrationTestApp.start(properties(), EventRecorder.class)) {
			assertThat(EventRecorder.events).extracting((event) -> event.getClass().getSimpleName())
				.containsSubsequence("InstancePreRegisteredEvent", "InstanceRegisteredEvent");
			InstancePreRegisteredEvent pre = (InstancePreRegisteredEvent) EventRecorder.events.stream()
				.filter(InstancePreRegisteredEvent.class::isInstance)
				.findFirst()
				.get();
			assertThat(pre.getRegistration().getServiceId()).isEqualTo("user.rpc");
			assertThat(pre.getRegistration().getInstanceId()).isEqualTo("127.0.0.3:" + port(app));
		}
	}

	@Test
	void ipv6LoopbackIsWrittenBracketed() {
		ConfigurableApplicationContext app;
		try {
			app = RegistrationTestApp.start(properties("rpc.listen-on=[::1]", "server.address=::1"));
		}
		catch (RuntimeException ex) {
			throw new AssertionError("this test needs IPv6 loopback (::1)", ex);
		}
		try {
			assertThat(this.state.entries("user.rpc/").values()).containsExactly("[::1]:" + port(app));
			assertThat(this.state.entries("_rpc-meta/").values().iterator().next())
				.startsWith("address=%5B%3A%3A1%5D%3A" + port(app) + "&");
		}
		finally {
			app.close();
		}
	}

	static int port(ConfigurableApplicationContext app) {
		return ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	static String get(int port, String path) {
		return call(port, HttpRequest.newBuilder(uri(port, path)).GET());
	}

	static String post(int port, String path, String json) {
		return call(port, HttpRequest.newBuilder(uri(port, path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	private static URI uri(int port, String path) {
		return URI.create("http://" + ShutdownProbe.host + ":" + port + path);
	}

	private static String call(int port, HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() + " " + response.body().replace("\"", "");
		}
		catch (IOException ex) {
			return "refused: " + ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	/**
	 * A ContextClosedEvent listener that runs after the registration's: records what etcd holds and whether the web
	 * server still answers at that moment.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ShutdownProbe {

		static final String host = "127.0.0.3";

		static final List<String> seen = new CopyOnWriteArrayList<>();

		static volatile int port;

		static volatile EtcdState state;

		@Bean
		ApplicationListener<ContextClosedEvent> shutdownProbeListener() {
			return new OrderedListener();
		}

		static final class OrderedListener implements ApplicationListener<ContextClosedEvent>, Ordered {

			@Override
			public void onApplicationEvent(ContextClosedEvent event) {
				seen.add("keys: " + state.entries(""));
				seen.add("ping: " + get(port, "/ping"));
			}

			@Override
			public int getOrder() {
				return Ordered.LOWEST_PRECEDENCE;
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EventRecorder {

		static final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		ApplicationListener<ApplicationEvent> eventRecorder() {
			return (event) -> {
				if (event instanceof InstancePreRegisteredEvent || event instanceof InstanceRegisteredEvent) {
					events.add(event);
				}
			};
		}

	}

}

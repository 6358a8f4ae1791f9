package io.github.rpcdiscovery.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.etcd.registration.RegistrationTestApp;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.testing.TestLogging;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health, the {@code rpc} endpoint and the meters of one application that registers itself in a real etcd and
 * discovers its own service there, through etcd's outages: killed and restarted on its data (the view freezes, the
 * health stays UP with a growing staleness, then it is connected again), and restarted empty (the lease is lost, then
 * re-granted).
 */
@ExtendWith(OutputCaptureExtension.class)
class OperationsEtcdIntegrationTest {

	private static final String SERVICE = "ops.rpc";

	private static final String ADDRESS = "127.0.0.41";

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private EtcdProcess etcd;

	private ConfigurableApplicationContext app;

	@BeforeAll
	static void logLikeAnApplication() {
		TestLogging.useSpringBootDefaults();
	}

	@BeforeEach
	void startEtcd() {
		this.etcd = EtcdProcess.startSingle();
	}

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
		this.etcd.close();
	}

	@Test
	void aKilledEtcdLeavesTheRegistryHealthUpWithAFrozenViewWhoseStalenessGrows(CapturedOutput output)
			throws Exception {
		this.app = start();
		await().atMost(Duration.ofSeconds(15)).until(() -> connection().get("state").equals("CONNECTED"));
		await().atMost(Duration.ofSeconds(10)).until(() -> discovery().getInstances(SERVICE).size() == 1);
		MeterRegistry meters = this.app.getBean(MeterRegistry.class);
		assertThat(instancesGauge(meters)).isEqualTo(1);

		// a second instance appears: the catalog, the gauge and the event counters follow
		EtcdCtl etcdctl = this.etcd.etcdctl();
		etcdctl.put(SERVICE + "/extra", "127.0.0.42:9000", etcdctl.grantLease(60));
		await().atMost(Duration.ofSeconds(5)).until(() -> instancesGauge(meters) == 2);
		assertThat(meters.get("rpc.discovery.watch.events").tag("source", "etcd").functionCounter().count())
			.isPositive();
		assertThat(meters.get("rpc.discovery.propagation").tag("source", "etcd").timer().count()).isPositive();
		assertThat(stateGauge(meters, "connected")).isEqualTo(1);

		this.etcd.kill();
		await().atMost(Duration.ofSeconds(20)).until(() -> connection().get("state").equals("UNREACHABLE"));
		Health frozen = registryHealth();
		assertThat(frozen.getStatus()).isEqualTo(Status.UP);
		assertThat(frozen.getDetails()).containsEntry("servingFrozenView", true);
		assertThat((String) connection().get("lastError")).startsWith("UNREACHABLE");
		assertThat(discovery().getInstances(SERVICE)).hasSize(2);
		assertThat(stateGauge(meters, "unreachable")).isEqualTo(1);
		assertThat(stateGauge(meters, "connected")).isZero();
		long staleness = (long) connection().get("stalenessMillis");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> (long) connection().get("stalenessMillis") >= staleness + 1000);
		assertThat(meters.get("rpc.discovery.connection.staleness").timeGauge().value(TimeUnit.MILLISECONDS))
			.isGreaterThanOrEqualTo(staleness + 1000.0);

		this.etcd.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> connection().get("state").equals("CONNECTED"));
		assertThat(registryHealth().getDetails()).containsEntry("servingFrozenView", false);
		assertThat(connection()).containsEntry("stalenessMillis", 0L).doesNotContainKey("lastError");
		assertThat(discovery().getInstances(SERVICE)).hasSize(2);
		// an outage longer than the 3 s TTL shows the registration LOST (its lease would have expired); etcd restored
		// the lease on restart, and the next renewal shows it UP again — after the discovery reconnected, not with it
		await().atMost(Duration.ofSeconds(15)).until(() -> "UP".equals(registration().get("status")));

		// the same story over HTTP: the health groups and the endpoint, as an operator sees them
		String health = get("/actuator/health");
		assertThat(health).startsWith("200").contains("discoveryComposite", "etcd", "servingFrozenView");
		String rpc = get("/actuator/rpc");
		assertThat(rpc).startsWith("200")
			.contains("\"registrations\"", "\"serviceKey\":\"" + SERVICE + "\"", "\"status\":\"UP\"",
					"\"state\":\"CONNECTED\"", "127.0.0.42:9000", ADDRESS);
		assertThat(get("/actuator/rpc/" + SERVICE)).startsWith("200").contains("\"loaded\":true");
		assertThat(get("/actuator/rpc/unknown.rpc")).startsWith("404");
		// one WARN when the outage began, one INFO when it ended, no stack trace
		assertThat(output.getOut()).contains("is reachable again after");
		assertThat(output.getOut()).doesNotContain("\tat io.grpc");
	}

	@Test
	void aLostRegistrationIsReportedAfterTheGracePeriodAndClearedWhenANewLeaseIsGranted() {
		this.app = start("rpc.health.registration-lost-after=1s", "rpc.health.readiness.enabled=true");
		await().atMost(Duration.ofSeconds(15)).until(() -> "UP".equals(registration().get("status")));
		RpcReadinessHealthIndicator readiness = this.app.getBean(RpcReadinessHealthIndicator.class);
		assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
		MeterRegistry meters = this.app.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> counter(meters, "rpc.registration.lease.renewals") > 0);
		assertThat(counter(meters, "rpc.registration.lease.regrants")).isZero();
		String firstKey = (String) rpcRegistration().get("key");
		// while etcd answers, renewals keep the TTL left above zero: a healthy registration never looks lost
		await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
			.until(() -> "UP".equals(registration().get("status")) && (long) registration().get("ttlLeftMillis") > 0);

		// etcd goes away, and comes back without its data: the lease is gone
		this.etcd.stop();
		this.etcd.wipeData();
		await().atMost(Duration.ofSeconds(10)).until(() -> "LOST".equals(registration().get("status")));
		await().atMost(Duration.ofSeconds(5)).until(() -> registrationHealth().getDetails().containsKey("lost"));
		Health lost = registrationHealth();
		assertThat(lost.getStatus()).as("a registry outage does not take the instance out").isEqualTo(Status.UP);
		assertThat(lost.getDetails().get("lost")).asString().contains(SERVICE, ADDRESS, "lost since");
		Health notReady = readiness.health();
		assertThat(notReady.getStatus()).isEqualTo(Status.DOWN);
		assertThat(notReady.getDetails()).containsKey("registrationLost");
		assertThat(meters.get("rpc.registration.state").tag("state", "lost").gauge().value()).isEqualTo(1);

		this.etcd.start();
		await().atMost(Duration.ofSeconds(15)).until(() -> "UP".equals(registration().get("status")));
		assertThat(this.etcd.etcdctl().getPrefix(SERVICE + "/")).hasSize(2);
		assertThat(registrationHealth().getDetails()).doesNotContainKey("lost");
		assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
		assertThat(counter(meters, "rpc.registration.lease.regrants")).isEqualTo(1);
		assertThat(rpcRegistration().get("key")).isNotEqualTo(firstKey);
		assertThat(meters.get("rpc.registration.state").tag("state", "up").gauge().value()).isEqualTo(1);
	}

	private ConfigurableApplicationContext start(String... extra) {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=" + SERVICE,
				"rpc.etcd.hosts=" + this.etcd.hostAndPort(), "rpc.etcd.ttl=3",
				"rpc.etcd.request-timeout=1s", "rpc.listen-on=" + ADDRESS,
				"rpc.clients[0].etcd.key=" + SERVICE, "management.endpoints.web.exposure.include=rpc,health",
				"management.endpoint.health.show-details=always"));
		properties.addAll(List.of(extra));
		return RegistrationTestApp.start(properties);
	}

	private ServiceDiscovery discovery() {
		return this.app.getBean(ServiceDiscovery.class);
	}

	private Health registryHealth() {
		return this.app.getBean(RegistryHealthIndicator.class).health();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> connection() {
		Map<String, Object> connections = (Map<String, Object>) registryHealth().getDetails().get("connections");
		return (Map<String, Object>) connections.get(this.etcd.hostAndPort());
	}

	private Health registrationHealth() {
		return this.app.getBean(RegistrationHealthIndicator.class).health();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> registration() {
		return (Map<String, Object>) ((Map<String, Object>) registrationHealth().getDetails().get("registrations"))
			.get(SERVICE);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> rpcRegistration() {
		List<Map<String, Object>> registrations = (List<Map<String, Object>>) this.app.getBean(RpcEndpoint.class)
			.rpc()
			.get("registrations");
		assertThat(registrations).hasSize(1);
		return registrations.get(0);
	}

	private static double instancesGauge(MeterRegistry meters) {
		return meters.get("rpc.discovery.instances").tag("service", SERVICE).gauge().value();
	}

	private static double stateGauge(MeterRegistry meters, String state) {
		return meters.get("rpc.discovery.connection.state").tag("source", "etcd").tag("state", state).gauge().value();
	}

	private static double counter(MeterRegistry meters, String name) {
		return meters.get(name).tag("service", SERVICE).counter().count();
	}

	private String get(String path) throws IOException, InterruptedException {
		int port = ((WebServerApplicationContext) this.app).getWebServer().getPort();
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(5))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		return response.statusCode() + " " + response.body();
	}

}

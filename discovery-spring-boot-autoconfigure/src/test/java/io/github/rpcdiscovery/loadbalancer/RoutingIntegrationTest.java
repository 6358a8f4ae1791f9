package io.github.rpcdiscovery.loadbalancer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.etcd.InstanceMetadataCodec;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import io.github.rpcdiscovery.testing.HttpBackend;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Four backends on 127.0.0.1-4 registered in a real etcd with zone and version in their metadata; the caller is in
 * zone a ({@code spring.cloud.loadbalancer.zone}) and has a 5 % canary for version v2. A hint header selects a
 * version, calls without one stay in zone a and give the canary its share, and a slow zone a spills its calls to zone
 * b and gets them back when it recovers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingIntegrationTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	static final String SERVICE = "routed.rpc";

	static HttpBackend a1;

	static HttpBackend a2;

	static HttpBackend b1;

	static HttpBackend canary;

	static ConfigurableApplicationContext context;

	static RestClient client;

	@BeforeAll
	static void start() {
		a1 = HttpBackend.start("127.0.0.1");
		a2 = HttpBackend.start("127.0.0.2");
		b1 = HttpBackend.start("127.0.0.3");
		canary = HttpBackend.start("127.0.0.4");
		register("1", a1, "a", "v1");
		register("2", a2, "a", "v1");
		register("3", b1, "b", "v1");
		register("4", canary, "a", "v2");
		SpringApplication application = new SpringApplication(LoadBalancedCalls.ClientApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run("--rpc.etcd.hosts=" + etcd.hostAndPort(), "--rpc.registration.enabled=false",
				"--rpc.clients[0].name=" + SERVICE, "--rpc.clients[0].etcd.key=" + SERVICE,
				"--rpc.clients[0].canary.version=v2", "--rpc.clients[0].canary.percent=5",
				"--spring.cloud.loadbalancer.zone=a", "--rpc.balancer.zone.probe-interval=1s",
				"--spring.cloud.loadbalancer.retry.enabled=false");
		client = context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class).build();
		ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
		call(null);
		await().until(() -> catalog.instances(SERVICE)
			.stream()
			.filter((instance) -> instance.getMetadata().containsKey("zone"))
			.count() == 4);
	}

	private static void register(String id, HttpBackend backend, String zone, String version) {
		etcd.process()
			.etcdctl()
			.put(InstanceMetadataCodec.metadataKey(SERVICE, id),
					InstanceMetadataCodec.encode(backend.address(), Map.of("zone", zone, "version", version)));
		etcd.process().etcdctl().put(SERVICE + "/" + id, backend.address());
	}

	@AfterAll
	static void stop() {
		context.close();
		List.of(a1, a2, b1, canary).forEach(HttpBackend::close);
	}

	private static String call(String hint) {
		RestClient.RequestHeadersSpec<?> request = client.get().uri("http://" + SERVICE + "/hello");
		if (hint != null) {
			request = request.header("X-SC-LB-Hint", hint);
		}
		return request.retrieve().body(String.class);
	}

	private static Map<String, Integer> calls(int count, String hint) {
		Map<String, Integer> calls = new HashMap<>();
		for (int i = 0; i < count; i++) {
			calls.merge(call(hint), 1, Integer::sum);
		}
		return calls;
	}

	@Test
	@Order(1)
	void aHintHeaderSelectsTheInstancesOfThatVersion() {
		assertThat(calls(200, "v2")).containsOnlyKeys(canary.address());
		assertThat(calls(200, "v1")).doesNotContainKey(canary.address());
	}

	@Test
	@Order(2)
	void callsWithoutAHintStayInTheZoneAndGiveTheCanaryItsShare() {
		int calls = 2_000;
		long start = System.nanoTime();
		Map<String, Integer> shares = calls(calls, null);
		long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
		assertThat(shares.getOrDefault(canary.address(), 0)).as("canary in %s", shares)
			.isBetween(calls * 30 / 1000, calls * 70 / 1000);
		// the other zone gets its probes (one a second, probe-interval) and at most 1 % of the calls: without the
		// preference it would get a third of them
		assertThat(shares.getOrDefault(b1.address(), 0)).as("zone b in %s over %d s", shares, seconds)
			.isLessThanOrEqualTo((int) seconds + 1 + calls / 100);
		ServiceBalancer balancer = context.getBean(ServiceBalancers.class).forService(SERVICE);
		assertThat(balancer.zonePicks().localZone()).isEqualTo("a");
		assertThat(balancer.zonePicks().picks("b")).isEqualTo(b1.calls());
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		assertThat(meters.get("rpc.loadbalancer.zone.picks")
			.tags("service", SERVICE, "zone", "a", "target.zone", "b")
			.functionCounter()
			.count()).isEqualTo(b1.calls());
		assertThat(meters.get("rpc.loadbalancer.zone.picks")
			.tags("service", SERVICE, "zone", "a", "target.zone", "a")
			.functionCounter()
			.count()).isEqualTo(a1.calls() + a2.calls() + canary.calls());
		assertThat(meters.get("rpc.loadbalancer.zone.spill").tags("service", SERVICE, "zone", "a").gauge().value())
			.isZero();
	}

	@Test
	@Order(3)
	void aSlowZoneSpillsItsCallsElsewhereAndGetsThemBackWhenItRecovers() {
		// zone b's latency is known from its probes
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			call(null);
			return b1.calls() > 0;
		});
		a1.delay(Duration.ofMillis(100));
		a2.delay(Duration.ofMillis(100));
		await().atMost(Duration.ofSeconds(30)).until(() -> calls(20, null).getOrDefault(b1.address(), 0) >= 17);
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		assertThat(meters.get("rpc.loadbalancer.zone.spill").tags("service", SERVICE, "zone", "a").gauge().value())
			.isGreaterThan(0.5);
		a1.delay(Duration.ZERO);
		a2.delay(Duration.ZERO);
		await().atMost(Duration.ofSeconds(30)).until(() -> calls(50, null).getOrDefault(b1.address(), 0) <= 1);
	}

}

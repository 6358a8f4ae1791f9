package io.github.rpcdiscovery.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.BalancingPolicy;
import io.github.rpcdiscovery.balancer.NodeState;
import io.github.rpcdiscovery.testing.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real HTTP backends on loopback behind {@code @LoadBalanced} RestClient, RestTemplate and WebClient: a slow instance
 * is avoided, a dead one is ejected after one failed call, a failing one after a few, both get calls again once they
 * recover, and a retry hides a refused connection. Each case has its own service, so the cases do not share state.
 */
class IsolationAndRecoveryIntegrationTest {

	/** Ejections last 2 s here (1 s by default), so the calls that check an ejection fall inside it on a busy machine. */
	static final Duration FIRST_EJECTION = Duration.ofSeconds(2);

	static final Map<String, List<HttpBackend>> backends = new LinkedHashMap<>();

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		List<String> args = new ArrayList<>();
		for (LoadBalancedCalls client : LoadBalancedCalls.values()) {
			declare(args, "slow-" + client.tag, BalancingPolicy.P2C, 3, false);
			for (BalancingPolicy policy : BalancingPolicy.values()) {
				declare(args, "dead-" + policy.value() + "-" + client.tag, policy, 2, false);
				declare(args, "failing-" + policy.value() + "-" + client.tag, policy, 2, false);
			}
			declare(args, "retry-get-" + client.tag, BalancingPolicy.ROUND_ROBIN, 2, true);
			declare(args, "retry-post-" + client.tag, BalancingPolicy.ROUND_ROBIN, 2, true);
			declare(args, "dropped-" + client.tag, BalancingPolicy.ROUND_ROBIN, 2, true);
		}
		// Spring Cloud retries WebClient calls only when asked to (RestTemplate and RestClient by default)
		args.add("--spring.cloud.loadbalancer.retry.enabled=true");
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run(args.toArray(String[]::new));
	}

	private static void declare(List<String> args, String serviceId, BalancingPolicy policy, int instances,
			boolean retry) {
		int index = backends.size();
		List<HttpBackend> started = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			started.add(HttpBackend.start("127.0.0." + (i + 1)));
		}
		backends.put(serviceId, started);
		args.add("--rpc.clients[" + index + "].name=" + serviceId);
		args.add("--rpc.clients[" + index + "].endpoints="
				+ String.join(",", started.stream().map(HttpBackend::address).toList()));
		args.add("--rpc.clients[" + index + "].load-balancer=" + policy.value());
		args.add("--spring.cloud.loadbalancer.clients." + serviceId + ".retry.enabled=" + retry);
	}

	@AfterAll
	static void stop() {
		context.close();
		backends.values().forEach((list) -> list.forEach(HttpBackend::close));
	}

	static Stream<Arguments> clientsAndPolicies() {
		return Stream.of(LoadBalancedCalls.values())
			.flatMap((client) -> Stream.of(BalancingPolicy.values()).map((policy) -> Arguments.of(client, policy)));
	}

	static Stream<Arguments> clientsAndMethods() {
		return Stream.of(LoadBalancedCalls.values())
			.flatMap((client) -> Stream.of(Arguments.of(client, false), Arguments.of(client, true)));
	}

	@ParameterizedTest
	@EnumSource(LoadBalancedCalls.class)
	void aSlowInstanceGetsLittleButItsProbes(LoadBalancedCalls client) {
		String service = "slow-" + client.tag;
		HttpBackend slow = backends.get(service).get(2);
		slow.delay(Duration.ofMillis(200));
		long start = System.nanoTime();
		for (int i = 0; i < 60; i++) {
			client.get(context, service);
		}
		long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
		// round robin would send it 20 of the 60; P2C sends it its first two calls (a node is ranked by latency from its
		// second answer, so one cold answer is not held against it) and one probe in each second begun
		assertThat(slow.calls()).isBetween(1, (int) (3 + seconds));
	}

	@ParameterizedTest
	@MethodSource("clientsAndPolicies")
	void aDeadInstanceIsEjectedAfterOneFailedCallAndReadmittedWhenItIsBack(LoadBalancedCalls client,
			BalancingPolicy policy) {
		String service = "dead-" + policy.value() + "-" + client.tag;
		HttpBackend dead = backends.get(service).get(0);
		HttpBackend alive = backends.get(service).get(1);
		dead.stop();
		// P2C tries every new instance within its first second of calls
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> !succeeds(client, service));
		assertThat(node(service, dead).ejected()).isTrue();
		int aliveCalls = alive.calls();
		for (int i = 0; i < 20; i++) {
			assertThat(client.get(context, service)).isEqualTo(alive.address());
		}
		assertThat(alive.calls()).isEqualTo(aliveCalls + 20);
		assertThat(node(service, dead).ejected()).as("all 20 calls fell inside the ejection").isTrue();

		dead.restart();
		await().atMost(FIRST_EJECTION.multipliedBy(4)).pollInterval(Duration.ofMillis(20)).until(() -> {
			assertThat(client.get(context, service)).isNotNull();
			return dead.calls() > 0;
		});
		NodeState readmitted = node(service, dead);
		assertThat(readmitted.ejected()).isFalse();
		assertThat(readmitted.probation()).isFalse();
		assertThat(readmitted.failures()).isEqualTo(1);
	}

	@ParameterizedTest
	@MethodSource("clientsAndPolicies")
	void aFailingInstanceIsEjectedAfterAFewFailuresAndReadmittedWhenItRecovers(LoadBalancedCalls client,
			BalancingPolicy policy) {
		String service = "failing-" + policy.value() + "-" + client.tag;
		HttpBackend failing = backends.get(service).get(0);
		failing.respondWith(500);
		AtomicInteger failures = new AtomicInteger();
		// round robin and random reach it at once; P2C may prefer the other instance and reach it by its probes
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
			if (!succeeds(client, service)) {
				failures.incrementAndGet();
			}
			return node(service, failing).ejected();
		});
		assertThat(failures).hasValue(BalancerSettings.defaults().ejectAfterFailures());
		for (int i = 0; i < 20; i++) {
			assertThat(succeeds(client, service)).isTrue();
		}
		assertThat(node(service, failing).ejected()).as("all 20 calls fell inside the ejection").isTrue();

		failing.respondWith(200);
		int before = failing.calls();
		await().atMost(FIRST_EJECTION.multipliedBy(4)).pollInterval(Duration.ofMillis(20)).until(() -> {
			assertThat(succeeds(client, service)).isTrue();
			return failing.calls() > before;
		});
		assertThat(node(service, failing).ejected()).isFalse();
		assertThat(node(service, failing).probation()).isFalse();
	}

	@ParameterizedTest
	@MethodSource("clientsAndMethods")
	void aRetryHidesARefusedConnectionWhateverTheMethod(LoadBalancedCalls client, boolean post) {
		String service = (post ? "retry-post-" : "retry-get-") + client.tag;
		HttpBackend dead = backends.get(service).get(0);
		HttpBackend alive = backends.get(service).get(1);
		dead.stop();
		for (int i = 0; i < 10; i++) {
			String answer = post ? client.post(context, service) : client.get(context, service);
			assertThat(answer).isEqualTo(alive.address());
		}
		// round robin tried the dead instance within two calls, and the caller never saw it fail
		assertThat(node(service, dead).failures()).isEqualTo(1);
		assertThat(node(service, dead).ejected()).isTrue();
	}

	@ParameterizedTest
	@EnumSource(LoadBalancedCalls.class)
	void aGetIsRetriedWhenTheConnectionBreaksAfterItWasSentButAPostIsNot(LoadBalancedCalls client) {
		String service = "dropped-" + client.tag;
		HttpBackend dropping = backends.get(service).get(0);
		HttpBackend alive = backends.get(service).get(1);
		dropping.dropConnections(true);
		for (int i = 0; i < 4 && dropping.calls() == 0; i++) {
			assertThat(client.get(context, service)).isEqualTo(alive.address());
		}
		assertThat(dropping.calls()).as("round robin sent a GET to it, and it was retried").isPositive();
		int droppedBefore = dropping.calls();
		int alivePostsBefore = alive.calls();
		int sent = 0;
		int failed = 0;
		while (dropping.calls() == droppedBefore && sent < 6) {
			sent++;
			try {
				client.post(context, service);
			}
			catch (RuntimeException ex) {
				failed++;
			}
		}
		// the POST that reached the dropping instance failed and was not sent to the other one
		assertThat(dropping.calls()).isGreaterThan(droppedBefore);
		assertThat(failed).isEqualTo(1);
		assertThat(alive.calls() - alivePostsBefore).isEqualTo(sent - 1);
	}

	private static boolean succeeds(LoadBalancedCalls client, String service) {
		try {
			client.get(context, service);
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static NodeState node(String service, HttpBackend backend) {
		return context.getBean(ServiceBalancers.class)
			.state(service)
			.orElseThrow()
			.nodes()
			.stream()
			.filter((node) -> node.id().equals(backend.address()))
			.findFirst()
			.orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	@Import(LoadBalancedCalls.ClientApplication.class)
	static class TestApplication {

		@Bean
		BalancerSettings rpcBalancerSettings() {
			BalancerSettings defaults = BalancerSettings.defaults();
			return new BalancerSettings(defaults.decay(), defaults.forcePick(), defaults.ejectAfterFailures(),
					FIRST_EJECTION, FIRST_EJECTION.multipliedBy(2), defaults.forgetAfter());
		}

	}

}

package io.github.rpcdiscovery.ecosystem.webflux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.rpcdiscovery.test.app.RegisteredHttpServer;
import io.github.rpcdiscovery.test.app.RegisteredServers;
import io.github.rpcdiscovery.test.net.LoopbackHttp;
import io.github.rpcdiscovery.test.net.LoopbackHttp.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Cloud Gateway (server webflux) in front of servers registered in a real etcd, on loopback: a static
 * {@code lb://} route and the routes its discovery locator generates from our {@code ReactiveDiscoveryClient}
 * ({@code spring.cloud.gateway.server.webflux.discovery.locator.enabled}, refreshed on our {@code HeartbeatEvent}).
 * Every assertion is about what a caller of the gateway sees: the answer, and which server gave it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayWebfluxIntegrationTest {

	/** The bar: a change in etcd is routed within a second. */
	static final Duration PROPAGATION = Duration.ofSeconds(1);

	/**
	 * Ejections last this long here (1 s by default, then 2, 4, 8 s: after each, one real call probes the server), so
	 * the killed-server cases fall inside the first one however slow the machine.
	 */
	static final Duration EJECTION = Duration.ofSeconds(30);

	static RegisteredServers registry;

	static ConfigurableApplicationContext gateway;

	static LoopbackHttp http;

	@BeforeAll
	static void start() {
		registry = new RegisteredServers();
		List<String> args = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
				"--spring.application.name=gateway", "--rpc.etcd.hosts=" + registry.etcd().hostAndPort(),
				"--rpc.registration.enabled=false",
				"--rpc.balancer.first-ejection=" + EJECTION.toSeconds() + "s",
				"--rpc.balancer.max-ejection=" + EJECTION.toSeconds() + "s",
				"--spring.cloud.gateway.server.webflux.discovery.locator.enabled=true"));
		List<String> services = List.of("user.rpc", "slow.rpc", "killed.rpc", "retried.rpc");
		for (int i = 0; i < services.size(); i++) {
			String service = services.get(i);
			String prefix = "--spring.cloud.gateway.server.webflux.routes[" + i + "].";
			args.add("--rpc.clients[" + i + "].name=" + service);
			args.add("--rpc.clients[" + i + "].etcd.key=" + service);
			args.add(prefix + "id=" + service);
			args.add(prefix + "uri=lb://" + service);
			args.add(prefix + "predicates[0]=Path=/" + service.replace(".rpc", "") + "/**");
			args.add(prefix + "filters[0]=StripPrefix=1");
			if (service.equals("retried.rpc")) {
				args.add(prefix + "filters[1]=Retry=1");
			}
		}
		SpringApplication application = new SpringApplication(GatewayApplication.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		gateway = application.run(args.toArray(String[]::new));
		http = new LoopbackHttp("http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port"));
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		if (registry != null) {
			registry.close();
		}
	}

	@Test
	@Order(1)
	void aServerRegisteredInEtcdIsRoutedToWithinASecondAndARevokedOneGetsNothing() {
		RegisteredHttpServer first = registry.startRegistered("user.rpc", "127.0.0.1");
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/user/hello").ok());
		RegisteredHttpServer second = registry.start("user.rpc", "127.0.0.2");

		second.register();
		awaitAnswerFrom(second, "/user/hello");
		awaitAnswerFrom(second, "/user.rpc/hello");
		assertThat(second.sinceLastChange()).as("routed to through both routes")
			.isLessThan(PROPAGATION);

		second.deregister();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ZERO).until(() -> noneReach(second, 4));
		assertThat(second.sinceLastChange()).isLessThan(PROPAGATION);
		int before = second.calls();
		for (int i = 0; i < 40; i++) {
			assertThat(http.get(i % 2 == 0 ? "/user/hello" : "/user.rpc/hello").body()).isEqualTo(first.address());
		}
		assertThat(second.calls()).as("calls to the revoked server").isEqualTo(before);
	}

	@Test
	@Order(2)
	void aServiceIdNeverSeenBeforeGetsARouteWithinASecondAndLosesItWhenItsLastServerGoes() {
		assertThat(http.get("/order.rpc/hello").status()).isEqualTo(404);
		RegisteredHttpServer order = registry.start("order.rpc", "127.0.0.3");

		order.register();
		// the route exists once the gateway stops answering 404 (a call it forwards and that takes longer than the
		// poll's timeout counts too: the first call to a new service id also creates its load-balancer context)
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ZERO)
			.until(() -> http.get("/order.rpc/hello", Duration.ofMillis(200)).status() != 404);
		assertThat(order.sinceLastChange()).isLessThan(PROPAGATION);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ZERO)
			.until(() -> order.address().equals(http.get("/order.rpc/hello").body()));

		order.deregister();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
			.until(() -> http.get("/order.rpc/hello").status() == 404);
		assertThat(order.sinceLastChange()).isLessThan(PROPAGATION);
		int before = order.calls();
		for (int i = 0; i < 10; i++) {
			assertThat(http.get("/order.rpc/hello").status()).isEqualTo(404);
		}
		assertThat(order.calls()).isEqualTo(before);
	}

	@Test
	@Order(3)
	void aSlowServerLosesItsShare() {
		List<RegisteredHttpServer> three = List.of(registry.startRegistered("slow.rpc", "127.0.0.1"),
				registry.startRegistered("slow.rpc", "127.0.0.2"), registry.startRegistered("slow.rpc", "127.0.0.3"));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/slow/hello").ok());
		RegisteredHttpServer slow = three.get(2);
		slow.delay(Duration.ofMillis(500));
		int before = slow.calls();
		long start = System.nanoTime();
		for (int i = 0; i < 60; i++) {
			assertThat(http.get("/slow/hello").ok()).isTrue();
		}
		long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
		// round robin would send it 20 of the 60; P2C (fed by the gateway's own calls) its first two and one probe a
		// second
		assertThat(slow.calls() - before).isBetween(0, (int) (3 + seconds));
	}

	@Test
	@Order(4)
	void aKilledServerCostsOneFailedCallAndNoneMoreWhileEjected() {
		RegisteredHttpServer survivor = registry.startRegistered("killed.rpc", "127.0.0.1");
		RegisteredHttpServer killed = registry.startRegistered("killed.rpc", "127.0.0.2");
		awaitBothAnswer("/killed/hello", survivor, killed);
		killed.kill();
		int failed = 0;
		for (int i = 0; i < 30; i++) {
			Answer answer = http.get("/killed/hello");
			if (answer.ok()) {
				assertThat(answer.body()).isEqualTo(survivor.address());
			}
			else {
				failed++;
			}
		}
		assertThat(failed).isLessThanOrEqualTo(1);
	}

	@Test
	@Order(5)
	void withTheGatewaysRetryFilterAKilledServerCostsNoFailedCall() {
		RegisteredHttpServer survivor = registry.startRegistered("retried.rpc", "127.0.0.1");
		RegisteredHttpServer killed = registry.startRegistered("retried.rpc", "127.0.0.2");
		awaitBothAnswer("/retried/hello", survivor, killed);
		int survivorCalls = survivor.calls();
		killed.kill();
		for (int i = 0; i < 30; i++) {
			assertThat(http.get("/retried/hello").body()).isEqualTo(survivor.address());
		}
		// each call reached the survivor once: the retry went to it, not back to the killed one
		assertThat(survivor.calls() - survivorCalls).isEqualTo(30);
	}

	@Test
	@Order(6)
	void routingGoesOnWhileEtcdIsDown() {
		registry.etcd().kill();
		try {
			for (int i = 0; i < 50; i++) {
				assertThat(http.get(i % 2 == 0 ? "/user/hello" : "/user.rpc/hello").ok()).isTrue();
			}
		}
		finally {
			registry.etcd().restart();
		}
	}

	private static void awaitAnswerFrom(RegisteredHttpServer server, String path) {
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ZERO)
			.until(() -> server.address().equals(http.get(path).body()));
	}

	private static boolean noneReach(RegisteredHttpServer server, int calls) {
		int before = server.calls();
		for (int i = 0; i < calls; i++) {
			http.get(i % 2 == 0 ? "/user/hello" : "/user.rpc/hello");
		}
		return server.calls() == before;
	}

	private static void awaitBothAnswer(String path, RegisteredHttpServer one, RegisteredHttpServer other) {
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ZERO).until(() -> {
			assertThat(http.get(path).ok()).isTrue();
			return one.calls() > 0 && other.calls() > 0;
		});
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GatewayApplication {

	}

}

package io.github.rpcdiscovery.ecosystem.webmvc;

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
 * Spring Cloud Gateway (server webmvc) in front of servers registered in a real etcd, on loopback. Gateway server
 * webmvc 5.0 has no discovery locator (no routes generated from a {@code DiscoveryClient}): its {@code lb://} route
 * URI (the {@code lb()} filter, Spring Cloud's blocking {@code LoadBalancerClient}) is what it offers, and what is
 * tested here. Every assertion is about what a caller of the gateway sees.
 * <p>
 * Not covered: webmvc's {@code Retry} filter. With {@code Retry} on a property route, or {@code retry()} next to
 * {@code lb()} in the Java DSL (either order), a refused connection still reached the caller as a 500 in our trials
 * (its policy counts attempts, not retries, and matches the exception thrown, RestClient's
 * {@code ResourceAccessException}, not its cause); our balancer's ejection is what limits a killed server's cost to
 * one call.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayWebmvcIntegrationTest {

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
				"--rpc.balancer.first-ejection=" + EJECTION.toSeconds() + "s", "--rpc.balancer.max-ejection=" + EJECTION.toSeconds() + "s"));
		List<String> services = List.of("user.rpc", "slow.rpc", "killed.rpc");
		for (int i = 0; i < services.size(); i++) {
			String service = services.get(i);
			String prefix = "--spring.cloud.gateway.server.webmvc.routes[" + i + "].";
			args.add("--rpc.clients[" + i + "].name=" + service);
			args.add("--rpc.clients[" + i + "].etcd.key=" + service);
			args.add(prefix + "id=" + service);
			args.add(prefix + "uri=lb://" + service);
			args.add(prefix + "predicates[0]=Path=/" + service.replace(".rpc", "") + "/**");
			args.add(prefix + "filters[0]=StripPrefix=1");
		}
		SpringApplication application = new SpringApplication(GatewayApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
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
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ZERO)
			.until(() -> second.address().equals(http.get("/user/hello").body()));
		assertThat(second.sinceLastChange()).isLessThan(PROPAGATION);

		second.deregister();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ZERO).until(() -> {
			int before = second.calls();
			for (int i = 0; i < 4; i++) {
				http.get("/user/hello");
			}
			return second.calls() == before;
		});
		assertThat(second.sinceLastChange()).isLessThan(PROPAGATION);
		int before = second.calls();
		for (int i = 0; i < 40; i++) {
			assertThat(http.get("/user/hello").body()).isEqualTo(first.address());
		}
		assertThat(second.calls()).as("calls to the revoked server").isEqualTo(before);
	}

	@Test
	@Order(2)
	void aSlowServerLosesItsShare() {
		registry.startRegistered("slow.rpc", "127.0.0.1");
		registry.startRegistered("slow.rpc", "127.0.0.2");
		RegisteredHttpServer slow = registry.startRegistered("slow.rpc", "127.0.0.3");
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/slow/hello").ok());
		slow.delay(Duration.ofMillis(500));
		int before = slow.calls();
		long start = System.nanoTime();
		for (int i = 0; i < 60; i++) {
			assertThat(http.get("/slow/hello").ok()).isTrue();
		}
		long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
		// round robin would send it 20 of the 60; P2C (fed by the gateway's calls) its first two and a probe a second
		assertThat(slow.calls() - before).isBetween(0, (int) (3 + seconds));
	}

	@Test
	@Order(3)
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
	@Order(4)
	void routingGoesOnWhileEtcdIsDown() {
		registry.etcd().kill();
		try {
			for (int i = 0; i < 50; i++) {
				assertThat(http.get("/user/hello").ok()).isTrue();
			}
		}
		finally {
			registry.etcd().restart();
		}
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

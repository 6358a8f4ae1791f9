package io.github.rpcdiscovery.ecosystem.webmvc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.rpcdiscovery.test.app.RegisteredHttpServer;
import io.github.rpcdiscovery.test.app.RegisteredServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @FeignClient("user.rpc")} interfaces (Spring Cloud OpenFeign's blocking load-balancer client) over servers
 * registered in a real etcd: they follow registrations and revocations, are balanced by our P2C, and Feign's
 * timeout and Spring Cloud's retry combine with our retry rule into one retry at most, never a retry of a retry.
 */
class OpenFeignIntegrationTest {

	static final Duration PROPAGATION = Duration.ofSeconds(1);

	/** Feign's read timeout for timeout.rpc, set the Spring Cloud OpenFeign way. */
	static final Duration READ_TIMEOUT = Duration.ofMillis(500);

	static RegisteredServers registry;

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		registry = new RegisteredServers();
		List<String> services = List.of("user.rpc", "slow.rpc", "retried.rpc", "timeout.rpc");
		List<String> args = new ArrayList<>(List.of("--spring.application.name=feign-caller",
				"--rpc.etcd.hosts=" + registry.etcd().hostAndPort(), "--rpc.registration.enabled=false",
				"--spring.cloud.openfeign.client.config.timeout.read-timeout=" + READ_TIMEOUT.toMillis()));
		for (int i = 0; i < services.size(); i++) {
			args.add("--rpc.clients[" + i + "].name=" + services.get(i));
			args.add("--rpc.clients[" + i + "].etcd.key=" + services.get(i));
		}
		SpringApplication application = new SpringApplication(FeignApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		if (registry != null) {
			registry.close();
		}
	}

	@Test
	void followsRegistrationsAndRevocationsWithinASecond() {
		UserClient users = context.getBean(UserClient.class);
		RegisteredHttpServer first = registry.startRegistered("user.rpc", "127.0.0.1");
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> first.address().equals(users.hello()));
		RegisteredHttpServer second = registry.start("user.rpc", "127.0.0.2");

		second.register();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ZERO)
			.until(() -> second.address().equals(users.hello()));
		assertThat(second.sinceLastChange()).isLessThan(PROPAGATION);

		first.deregister();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ZERO).until(() -> {
			int before = first.calls();
			for (int i = 0; i < 4; i++) {
				users.hello();
			}
			return first.calls() == before;
		});
		assertThat(first.sinceLastChange()).isLessThan(PROPAGATION);
		int before = first.calls();
		for (int i = 0; i < 40; i++) {
			assertThat(users.hello()).isEqualTo(second.address());
		}
		assertThat(first.calls()).as("calls to the revoked server").isEqualTo(before);
	}

	@Test
	void isBalancedByP2cSoASlowServerLosesItsShare() {
		SlowClient client = context.getBean(SlowClient.class);
		registry.startRegistered("slow.rpc", "127.0.0.1");
		registry.startRegistered("slow.rpc", "127.0.0.2");
		RegisteredHttpServer slow = registry.startRegistered("slow.rpc", "127.0.0.3");
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.hello() != null);
		slow.delay(Duration.ofMillis(500));
		int before = slow.calls();
		long start = System.nanoTime();
		for (int i = 0; i < 60; i++) {
			assertThat(client.hello()).isNotNull();
		}
		long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
		// round robin (Spring Cloud's default) would send it 20 of the 60
		assertThat(slow.calls() - before).isBetween(0, (int) (3 + seconds));
	}

	@Test
	void aGetWhoseConnectionBrokeIsRetriedOnceOnAnotherServerAndAPostThatWasSentIsNot() {
		RetriedClient client = context.getBean(RetriedClient.class);
		RegisteredHttpServer good = registry.startRegistered("retried.rpc", "127.0.0.1");
		RegisteredHttpServer bad = registry.startRegistered("retried.rpc", "127.0.0.2");
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ZERO).ignoreExceptions().until(() -> {
			client.hello();
			return good.calls() > 0 && bad.calls() > 0;
		});

		// the request arrives and the connection closes unanswered: a GET is retried once, on the other server
		bad.dropConnections(true);
		int goodBefore = good.calls();
		int badBefore = bad.calls();
		int sent = 0;
		while (bad.calls() == badBefore && sent < 20) {
			sent++;
			assertThat(client.hello()).isEqualTo(good.address());
		}
		// one GET reached it: Feign's default client (HttpURLConnection) itself sends a GET again once, on a new
		// connection, when a connection closes unanswered (the JDK's own behaviour, whatever Spring does); then the load
		// balancer retried it once, on the other server; neither Feign's Retryer nor Spring Cloud's retry added more
		assertThat(bad.calls() - badBefore).as("arrivals of one GET at the dropping server").isBetween(1, 2);
		assertThat(good.calls() - goodBefore).as("each GET answered once by the good server").isEqualTo(sent);

		// a POST that reached it is not sent again, by Feign or by the load balancer
		int postsBefore = bad.calls();
		int goodPosts = good.calls();
		int posted = 0;
		int failed = 0;
		while (bad.calls() == postsBefore && posted < 40) {
			posted++;
			try {
				client.post("ping");
			}
			catch (RuntimeException ex) {
				failed++;
			}
		}
		assertThat(bad.calls() - postsBefore).isEqualTo(1);
		assertThat(failed).isEqualTo(1);
		assertThat(good.calls() - goodPosts).isEqualTo(posted - 1);
	}

	@Test
	void feignsReadTimeoutEndsTheAttemptAndTheRetryGoesToAnotherServerOnce() {
		TimeoutClient client = context.getBean(TimeoutClient.class);
		RegisteredHttpServer fast = registry.startRegistered("timeout.rpc", "127.0.0.1");
		RegisteredHttpServer stuck = registry.startRegistered("timeout.rpc", "127.0.0.2");
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ZERO).ignoreExceptions().until(() -> {
			client.hello();
			return fast.calls() > 0 && stuck.calls() > 0;
		});
		stuck.delay(READ_TIMEOUT.multipliedBy(6));
		int stuckBefore = stuck.calls();
		int sent = 0;
		long start = 0;
		long elapsed = 0;
		while (stuck.calls() == stuckBefore && sent < 40) {
			sent++;
			start = System.nanoTime();
			assertThat(client.hello()).isEqualTo(fast.address());
			elapsed = System.nanoTime() - start;
		}
		assertThat(stuck.calls() - stuckBefore).as("attempts on the stuck server").isEqualTo(1);
		// the call that met the stuck server waited one read timeout, then one retry on the fast server
		assertThat(Duration.ofNanos(elapsed)).isBetween(READ_TIMEOUT, READ_TIMEOUT.multipliedBy(3));
	}

	@FeignClient("user.rpc")
	interface UserClient {

		@GetMapping("/hello")
		String hello();

	}

	@FeignClient("slow.rpc")
	interface SlowClient {

		@GetMapping("/hello")
		String hello();

	}

	@FeignClient("retried.rpc")
	interface RetriedClient {

		@GetMapping("/hello")
		String hello();

		@PostMapping("/hello")
		String post(@RequestBody String body);

	}

	@FeignClient(name = "timeout.rpc", contextId = "timeout")
	interface TimeoutClient {

		@GetMapping("/hello")
		String hello();

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableFeignClients(clients = { UserClient.class, SlowClient.class, RetriedClient.class, TimeoutClient.class })
	static class FeignApplication {

	}

}

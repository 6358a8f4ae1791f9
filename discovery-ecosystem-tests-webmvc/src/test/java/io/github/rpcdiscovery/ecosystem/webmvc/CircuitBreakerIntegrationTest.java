package io.github.rpcdiscovery.ecosystem.webmvc;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.rpcdiscovery.test.app.RegisteredHttpServer;
import io.github.rpcdiscovery.test.app.RegisteredServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Resilience4j circuit breaker (Spring Cloud CircuitBreaker) around a {@code @LoadBalanced} RestClient call to three
 * servers registered in a real etcd: when one of them dies, the balancer routes around it before the breaker counts
 * enough failures to open, so callers never get the fallback.
 */
class CircuitBreakerIntegrationTest {

	static final String FALLBACK = "fallback";

	static RegisteredServers registry;

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		registry = new RegisteredServers();
		SpringApplication application = new SpringApplication(BreakerApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run("--spring.application.name=breaker-caller",
				"--rpc.etcd.hosts=" + registry.etcd().hostAndPort(), "--rpc.registration.enabled=false",
				"--rpc.clients[0].name=user.rpc", "--rpc.clients[0].etcd.key=user.rpc");
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
	void aBreakerAroundALoadBalancedCallStaysClosedWhenOneOfThreeServersDies() {
		List<RegisteredHttpServer> servers = List.of(registry.startRegistered("user.rpc", "127.0.0.1"),
				registry.startRegistered("user.rpc", "127.0.0.2"), registry.startRegistered("user.rpc", "127.0.0.3"));
		CircuitBreaker breaker = context.getBean(CircuitBreakerFactory.class).create("users");
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ZERO)
			.until(() -> !call(breaker).equals(FALLBACK) && servers.stream().allMatch((server) -> server.calls() > 0));

		RegisteredHttpServer dead = servers.get(1);
		dead.kill();
		List<String> alive = List.of(servers.get(0).address(), servers.get(2).address());
		for (int i = 0; i < 60; i++) {
			assertThat(call(breaker)).as("call %d", i).isIn(alive);
		}
	}

	private static String call(CircuitBreaker breaker) {
		RestClient client = context.getBean(RestClient.Builder.class).build();
		return breaker.run(() -> client.get().uri("http://user.rpc/hello").retrieve().body(String.class),
				(failure) -> FALLBACK);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class BreakerApplication {

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			return RestClient.builder();
		}

		/** A breaker that opens on one failure in four: one dead server in three would open it by round robin. */
		@Bean
		Customizer<Resilience4JCircuitBreakerFactory> sensitiveBreakers() {
			return (factory) -> factory.configureDefault((id) -> new Resilience4JConfigBuilder(id)
				.circuitBreakerConfig(CircuitBreakerConfig.custom()
					.slidingWindowSize(8)
					.minimumNumberOfCalls(4)
					.failureRateThreshold(25)
					.build())
				.build());
		}

	}

}

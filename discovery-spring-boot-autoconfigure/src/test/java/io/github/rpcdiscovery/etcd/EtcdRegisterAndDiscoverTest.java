package io.github.rpcdiscovery.etcd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.rpcdiscovery.etcd.registration.RegistrationTestApp;
import io.github.rpcdiscovery.test.app.ManagedApp;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 1 of the etcd issue, across applications: a server in its own JVM registers when it is ready and another
 * application's DiscoveryClient and {@code @LoadBalanced} client find it; a graceful stop takes it out at once; a
 * kill -9 takes it out when its lease's TTL runs out.
 */
class EtcdRegisterAndDiscoverTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	static final Duration TTL = Duration.ofSeconds(3);

	static ConfigurableApplicationContext consumer;

	static Path work;

	@BeforeAll
	static void startConsumer() throws Exception {
		work = Files.createTempDirectory("register-and-discover-");
		SpringApplication application = new SpringApplication(Consumer.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		consumer = application.run("--rpc.etcd.hosts=" + etcd.hostAndPort(), "--spring.application.name=consumer");
	}

	@AfterAll
	static void stopConsumer() {
		consumer.close();
	}

	@Test
	void aRegisteredServerIsFoundAndCalledThenGoneAtOnceWhenItStopsGracefully() {
		try (ManagedApp server = server("graceful.rpc", "127.0.0.41")) {
			server.start();
			List<ServiceInstance> found = awaitInstances("graceful.rpc", 1);
			assertThat(found.get(0).getHost()).isEqualTo("127.0.0.41");
			RestClient client = consumer.getBean(RestClient.Builder.class).build();
			assertThat(client.get().uri("http://graceful.rpc/ping").retrieve().body(String.class)).isEqualTo("pong");

			server.stop(Duration.ofSeconds(30));
			// the lease was revoked when the context began to close, long before the process exited
			await().atMost(Duration.ofSeconds(1)).until(() -> instances("graceful.rpc").isEmpty());
		}
	}

	@Test
	void aKilledServerIsGoneWhenItsLeaseExpires() {
		try (ManagedApp server = server("killed.rpc", "127.0.0.42")) {
			server.start();
			awaitInstances("killed.rpc", 1);
			long killed = System.nanoTime();
			server.kill();
			await().atMost(TTL.plusSeconds(3)).until(() -> instances("killed.rpc").isEmpty());
			long goneAfter = (System.nanoTime() - killed) / 1_000_000;
			// expired, not revoked (a revoke shows within milliseconds): the lease lives a TTL from its last renewal,
			// which came up to a renewal interval (TTL/3) before the kill, later on a loaded machine (1821 ms seen)
			assertThat(goneAfter).isGreaterThanOrEqualTo(TTL.toMillis() / 2);
		}
	}

	private static ManagedApp server(String key, String host) {
		return ManagedApp.main(key, System.getProperty("java.class.path"), RegistrationTestApp.class.getName(), work,
				List.of("-Xshare:off", "-XX:TieredStopAtLevel=1"),
				List.of("--spring.application.name=" + key, "--rpc.etcd.hosts=" + etcd.hostAndPort(),
						"--rpc.etcd.ttl=" + TTL.toSeconds(), "--rpc.etcd.request-timeout=1s", "--rpc.listen-on=" + host,
						"--server.address=" + host, "--server.port=0", "--spring.cloud.loadbalancer.enabled=false"));
	}

	private static List<ServiceInstance> awaitInstances(String serviceId, int count) {
		return await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> instances(serviceId), (list) -> list.size() == count);
	}

	private static List<ServiceInstance> instances(String serviceId) {
		return consumer.getBean(DiscoveryClient.class).getInstances(serviceId);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Consumer {

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			return RestClient.builder();
		}

	}

}

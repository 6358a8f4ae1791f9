package io.github.rpcdiscovery.shutdown;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.rpcdiscovery.etcd.registration.RegistrationTestApp;
import io.github.rpcdiscovery.test.app.ManagedApp;
import io.github.rpcdiscovery.test.app.RollingRestart;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof of the shutdown order: three servers in their own JVMs, a client sending a steady load with retries
 * OFF, and every server restarted in turn (SIGTERM, then a new process). Not one request may fail: each server is
 * deregistered, drained and only then stopped; each new one is registered only once it is ready.
 * (discovery-benchmarks' RollingRestartBenchmark runs ten rounds, with and without retries.)
 */
class RollingRestartTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	@Test
	void noRequestFailsWhileEveryServerRestartsInTurn() throws Exception {
		Path work = Files.createTempDirectory("rolling-restart-");
		List<ManagedApp> servers = new ArrayList<>();
		SpringApplication application = new SpringApplication(Client.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext client = application.run("--rpc.etcd.hosts=" + etcd.hostAndPort(),
				"--spring.cloud.loadbalancer.retry.enabled=false")) {
			for (int i = 1; i <= 3; i++) {
				servers.add(server(work, i).start());
			}
			DiscoveryClient discovery = client.getBean(DiscoveryClient.class);
			RestClient rest = client.getBean(RestClient.Builder.class).build();
			RollingRestart.Result result = RollingRestart.run(servers, (i) -> server(work, i + 1),
					() -> discovery.getInstances("rolling.rpc").size(),
					() -> rest.get().uri("http://rolling.rpc/ping").retrieve().body(String.class).equals("pong"), 1, 100);
			System.out.println("Rolling restart: " + result.requests() + " requests, " + result.failed()
					+ " failed; shutdown times " + result.shutdownMillis() + " ms");
			assertThat(result.requests()).isGreaterThan(500);
			assertThat(result.firstFailures()).isEmpty();
			assertThat(result.failed()).isZero();
			// each server was deregistered and drained (1 s by default) before it stopped, even the first one, which is
			// stopped the moment its key appears (while its registration call may still be returning)
			assertThat(result.shutdownMillis()).allSatisfy((millis) -> assertThat(millis).isBetween(1000L, 3000L));
		}
		finally {
			servers.forEach(ManagedApp::kill);
		}
	}

	private static ManagedApp server(Path work, int n) {
		String host = "127.0.0.6" + n;
		return ManagedApp.main("server-" + n + "-" + System.nanoTime(), System.getProperty("java.class.path"),
				RegistrationTestApp.class.getName(), work, List.of("-Xshare:off", "-XX:TieredStopAtLevel=1"),
				RollingRestart.serverArguments("rolling.rpc", etcd.hostAndPort(), host,
						"--spring.cloud.loadbalancer.enabled=false"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Client {

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
			JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
			factory.setReadTimeout(Duration.ofSeconds(5));
			return RestClient.builder().requestFactory(factory);
		}

	}

}

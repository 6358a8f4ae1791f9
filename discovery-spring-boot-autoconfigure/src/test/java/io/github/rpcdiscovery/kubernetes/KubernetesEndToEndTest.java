package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import io.github.rpcdiscovery.testing.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.health.DiscoveryClientHealthIndicator;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * go-zero's {@code Rpc: Target: k8s://mynamespace/myservice:3456}, pasted as is into a YAML file, plus where the API
 * server is: {@code DiscoveryClient} sees the ready pods of the Service's slices, and a {@code @LoadBalanced} call of
 * {@code http://myservice/} reaches them (two HTTP backends on 127.0.0.21 and 127.0.0.22, port 3456, standing in for
 * two pods) and follows a pod becoming unready.
 */
@ExtendWith(OutputCaptureExtension.class)
class KubernetesEndToEndTest {

	static MockKubernetes cluster;

	static HttpBackend pod1;

	static HttpBackend pod2;

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		cluster = MockKubernetes.start();
		pod1 = HttpBackend.start("127.0.0.21", 3456);
		pod2 = HttpBackend.start("127.0.0.22", 3456);
		cluster.apply(slice("mynamespace", "myservice", "myservice-x7k2p").port("http", 3456)
			.ready("127.0.0.21", "myservice-5d8c-a")
			.ready("127.0.0.22", "myservice-5d8c-b")
			.build());
		SpringApplication application = new SpringApplication(ClientApp.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run("--spring.config.import=classpath:kubernetes/go-zero-k8s.yml",
				"--rpc.kubernetes.master-url=" + cluster.url(), "--rpc.kubernetes.token=app-token",
				"--spring.cloud.loadbalancer.retry.enabled=false");
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		pod1.close();
		pod2.close();
		cluster.close();
	}

	@Test
	void theDiscoveryClientSeesTheReadyPods() {
		DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
		assertThat(discovery.getInstances("myservice")).extracting("instanceId")
			.containsExactly("myservice-5d8c-a", "myservice-5d8c-b");
		assertThat(discovery.getServices()).contains("myservice");
	}

	@Test
	void loadBalancedCallsReachThePodsAndFollowReadiness() {
		RestClient client = context.getBean(RestClient.Builder.class).build();
		Map<String, Integer> spread = new HashMap<>();
		for (int i = 0; i < 20; i++) {
			spread.merge(client.get().uri("http://myservice/hello").retrieve().body(String.class), 1, Integer::sum);
		}
		assertThat(spread).containsOnlyKeys("127.0.0.21:3456", "127.0.0.22:3456");

		cluster.apply(slice("mynamespace", "myservice", "myservice-x7k2p").port("http", 3456)
			.ready("127.0.0.21", "myservice-5d8c-a")
			.notReady("127.0.0.22", "myservice-5d8c-b")
			.build());
		try {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(context.getBean(DiscoveryClient.class).getInstances("myservice"))
					.hasSize(1));
			for (int i = 0; i < 10; i++) {
				assertThat(client.get().uri("http://myservice/hello").retrieve().body(String.class))
					.isEqualTo("127.0.0.21:3456");
			}
		}
		finally {
			cluster.apply(slice("mynamespace", "myservice", "myservice-x7k2p").port("http", 3456)
				.ready("127.0.0.21", "myservice-5d8c-a")
				.ready("127.0.0.22", "myservice-5d8c-b")
				.build());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(context.getBean(DiscoveryClient.class).getInstances("myservice"))
					.hasSize(2));
		}
	}

	@Test
	void healthIsUpWithoutAnyRegistrationAndShowsTheWatch() {
		Health discovery = context.getBean(DiscoveryClientHealthIndicator.class).health();
		assertThat(discovery.getStatus()).isEqualTo(Status.UP);
		Health kubernetes = context.getBean(KubernetesDiscoveryHealthIndicator.class).health();
		assertThat(kubernetes.getStatus()).isEqualTo(Status.UP);
		assertThat(kubernetes.getDetails().get("services")).asString()
			.startsWith("{mynamespace/myservice={serviceIds=[myservice], state=watching, slices=1, connection=CONNECTED,")
			.endsWith(", stalenessMillis=0}}");
		assertThat(kubernetes.getDetails()).containsEntry("servingFrozenView", false);
	}

	@Test
	void theRegistrySaidOnceThatKubernetesRegistersThePod(CapturedOutput output) {
		// said at startup (the output is captured from the start of the class); a registration adds nothing
		context.getBean(KubernetesServiceRegistry.class).register(null);
		assertThat(output.getAll().split("rpc-discovery registers nothing", -1)).hasSize(2);
	}

	@Test
	void theTokenIsNeverLogged(CapturedOutput output) {
		context.getBean(DiscoveryClient.class).getInstances("myservice");
		assertThat(output.getAll()).doesNotContain("app-token");
		assertThat(context.getEnvironment().getProperty("rpc.kubernetes.token")).isEqualTo("app-token");
		assertThat(context.getBean(KubernetesProperties.class).toString()).doesNotContain("app-token");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApp {

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			return RestClient.builder();
		}

	}

}

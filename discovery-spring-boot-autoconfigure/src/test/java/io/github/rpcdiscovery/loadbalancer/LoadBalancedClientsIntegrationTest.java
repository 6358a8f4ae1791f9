package io.github.rpcdiscovery.loadbalancer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.testing.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @LoadBalanced} RestClient, RestTemplate and WebClient call {@code http://hello/} and spread over the static
 * endpoints (round robin here, to see the spread); a catalog change is followed by the very next call (no 35 s cache).
 */
class LoadBalancedClientsIntegrationTest {

	static HttpBackend first;

	static HttpBackend second;

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		first = HttpBackend.start("127.0.0.1");
		second = HttpBackend.start("127.0.0.2");
		SpringApplication application = new SpringApplication(ClientApp.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run("--rpc.clients[0].name=hello",
				"--rpc.clients[0].endpoints=" + first.address() + "," + second.address(),
				"--spring.cloud.loadbalancer.retry.enabled=false", "--rpc.load-balancer=round-robin");
	}

	@AfterAll
	static void stop() {
		context.close();
		first.close();
		second.close();
	}

	@Test
	void restClientSpreadsOverBothEndpoints() {
		RestClient client = context.getBean("lbRestClientBuilder", RestClient.Builder.class).build();
		assertSpread(() -> client.get().uri("http://hello/hello").retrieve().body(String.class));
	}

	@Test
	void restTemplateSpreadsOverBothEndpoints() {
		RestTemplate template = context.getBean("lbRestTemplate", RestTemplate.class);
		assertSpread(() -> template.getForObject("http://hello/hello", String.class));
	}

	@Test
	void webClientSpreadsOverBothEndpoints() {
		WebClient client = context.getBean("lbWebClientBuilder", WebClient.Builder.class).build();
		assertSpread(() -> client.get()
			.uri("http://hello/hello")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(5)));
	}

	@Test
	void aCatalogChangeIsFollowedByTheVeryNextCall() {
		RestClient client = context.getBean("lbRestClientBuilder", RestClient.Builder.class).build();
		ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
		List<?> before = catalog.instances("hello");
		try {
			client.get().uri("http://hello/hello").retrieve().body(String.class); // supplier created and subscribed
			catalog.update("hello", List.of(new DiscoveredInstance("hello", HostAndPort.parse(second.address()),
					"direct", Map.of())), "test: first endpoint gone");
			for (int i = 0; i < 10; i++) {
				assertThat(client.get().uri("http://hello/hello").retrieve().body(String.class))
					.isEqualTo(second.address());
			}
		}
		finally {
			catalog.update("hello", before.stream().map(DiscoveredInstance.class::cast).toList(), "test: restored");
		}
	}

	private static void assertSpread(Supplier<String> call) {
		Map<String, Integer> spread = new HashMap<>();
		for (int i = 0; i < 20; i++) {
			spread.merge(call.get(), 1, Integer::sum);
		}
		assertThat(spread).containsOnlyKeys(first.address(), second.address());
		assertThat(spread.values()).allSatisfy((count) -> assertThat(count).isGreaterThanOrEqualTo(5));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApp {

		@Bean
		@LoadBalanced
		RestClient.Builder lbRestClientBuilder() {
			return RestClient.builder();
		}

		@Bean
		@LoadBalanced
		RestTemplate lbRestTemplate() {
			return new RestTemplate();
		}

		@Bean
		@LoadBalanced
		WebClient.Builder lbWebClientBuilder() {
			return WebClient.builder();
		}

	}

}

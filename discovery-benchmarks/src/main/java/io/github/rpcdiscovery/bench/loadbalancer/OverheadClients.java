package io.github.rpcdiscovery.bench.loadbalancer;

import java.time.Duration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One loopback backend that answers at once, and the same clients twice: {@code @LoadBalanced} calling
 * {@code http://svc/hello} (one instance, the starter's defaults: P2C, outcomes recorded, retry on), and plain calling
 * the backend's address. The difference is what the load balancer costs. For scale, the same {@code @LoadBalanced}
 * clients also call {@code http://stock/hello}, a service this starter does not resolve: Spring Cloud LoadBalancer's
 * own round robin over its simple discovery client, what any {@code @LoadBalanced} call costs without this starter.
 */
final class OverheadClients implements AutoCloseable {

	private final DelayedBackend backend = new DelayedBackend("127.0.0.1", Duration.ZERO);

	private final ConfigurableApplicationContext context;

	private final String direct = "http://" + this.backend.address() + "/hello";

	private final WebClient loadBalancedWebClient;

	private final WebClient directWebClient = WebClient.builder().build();

	private final RestClient loadBalancedRestClient;

	private final RestClient directRestClient = RestClient.builder().build();

	OverheadClients() {
		this(true);
	}

	/** @param retry whether Spring Cloud LoadBalancer's retry is on (the starter's default) */
	OverheadClients(boolean retry) {
		SpringApplication application = new SpringApplication(Clients.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		this.context = application.run("--spring.cloud.loadbalancer.retry.enabled=" + retry,
				"--rpc.clients[0].name=svc",
				"--rpc.clients[0].endpoints=" + this.backend.address(),
				// a service this starter does not resolve: Spring Cloud's own round robin over its simple discovery
				"--spring.cloud.discovery.client.simple.instances.stock[0].uri=http://" + this.backend.address(),
				"--logging.level.root=WARN");
		this.loadBalancedWebClient = this.context.getBean("loadBalancedWebClientBuilder", WebClient.Builder.class)
			.build();
		this.loadBalancedRestClient = this.context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class)
			.build();
	}

	String webClientLoadBalanced() {
		return this.loadBalancedWebClient.get().uri("http://svc/hello").retrieve().bodyToMono(String.class).block();
	}

	String webClientSpringCloudRoundRobin() {
		return this.loadBalancedWebClient.get().uri("http://stock/hello").retrieve().bodyToMono(String.class).block();
	}

	String restClientSpringCloudRoundRobin() {
		return this.loadBalancedRestClient.get().uri("http://stock/hello").retrieve().body(String.class);
	}

	String webClientDirect() {
		return this.directWebClient.get().uri(this.direct).retrieve().bodyToMono(String.class).block();
	}

	String restClientLoadBalanced() {
		return this.loadBalancedRestClient.get().uri("http://svc/hello").retrieve().body(String.class);
	}

	String restClientDirect() {
		return this.directRestClient.get().uri(this.direct).retrieve().body(String.class);
	}

	@Override
	public void close() {
		this.context.close();
		this.backend.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Clients {

		@Bean
		@LoadBalanced
		WebClient.Builder loadBalancedWebClientBuilder() {
			return WebClient.builder();
		}

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			return RestClient.builder();
		}

	}

}

package io.github.rpcdiscovery.bench.loadbalancer;

import java.time.Duration;
import java.util.function.Supplier;

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

/**
 * One loopback backend that answers at once, and each client (RestClient, RestTemplate, WebClient) calling it three
 * ways: {@link Target#DIRECT} (a hard-coded URL, plain client), {@link Target#STARTER} ({@code @LoadBalanced} calling
 * {@code http://svc/hello}, a service this starter resolves: one instance, the starter's defaults: P2C, outcomes
 * recorded, retry on) and {@link Target#SPRING_CLOUD} (the same {@code @LoadBalanced} client calling
 * {@code http://stock/hello}, a service this starter does not resolve: Spring Cloud LoadBalancer's own round robin
 * over its simple discovery client, what any {@code @LoadBalanced} call costs without this starter).
 */
final class OverheadClients implements AutoCloseable {

	enum Client {

		REST_CLIENT("RestClient"), REST_TEMPLATE("RestTemplate"), WEB_CLIENT("WebClient");

		final String label;

		Client(String label) {
			this.label = label;
		}

	}

	enum Target {

		DIRECT("hard-coded URL"), STARTER("this starter (p2c)"), SPRING_CLOUD("Spring Cloud round robin");

		final String label;

		Target(String label) {
			this.label = label;
		}

	}

	private final DelayedBackend backend = new DelayedBackend("127.0.0.1", Duration.ZERO);

	private final ConfigurableApplicationContext context;

	private final String direct = "http://" + this.backend.address() + "/hello";

	private final WebClient loadBalancedWebClient;

	private final WebClient directWebClient;

	private final RestClient loadBalancedRestClient;

	private final RestClient directRestClient;

	private final RestTemplate loadBalancedRestTemplate;

	private final RestTemplate directRestTemplate;

	OverheadClients() {
		this(true);
	}

	/** @param retry whether Spring Cloud LoadBalancer's retry is on (the starter's default) */
	OverheadClients(boolean retry) {
		this(retry, false);
	}

	/**
	 * @param retry whether Spring Cloud LoadBalancer's retry is on (the starter's default)
	 * @param inMemory every client answered in memory ({@link InMemoryTransport}) instead of by the backend: the
	 * load-balancer layer alone
	 */
	OverheadClients(boolean retry, boolean inMemory) {
		SpringApplication application = new SpringApplication(Clients.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		this.context = application.run("--spring.cloud.loadbalancer.retry.enabled=" + retry,
				"--rpc.clients[0].name=svc", "--rpc.clients[0].endpoints=" + this.backend.address(),
				// a service this starter does not resolve: Spring Cloud's own round robin over its simple discovery
				"--spring.cloud.discovery.client.simple.instances.stock[0].uri=http://" + this.backend.address(),
				"--logging.level.root=WARN");
		WebClient.Builder webClient = this.context.getBean("loadBalancedWebClientBuilder", WebClient.Builder.class);
		RestClient.Builder restClient = this.context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class);
		this.loadBalancedRestTemplate = this.context.getBean("loadBalancedRestTemplate", RestTemplate.class);
		if (inMemory) {
			webClient.exchangeFunction(InMemoryTransport.EXCHANGES);
			restClient.requestFactory(InMemoryTransport.REQUESTS);
			this.loadBalancedRestTemplate.setRequestFactory(InMemoryTransport.REQUESTS);
			this.directWebClient = WebClient.builder().exchangeFunction(InMemoryTransport.EXCHANGES).build();
			this.directRestClient = RestClient.builder().requestFactory(InMemoryTransport.REQUESTS).build();
			this.directRestTemplate = new RestTemplate(InMemoryTransport.REQUESTS);
		}
		else {
			this.directWebClient = WebClient.builder().build();
			this.directRestClient = RestClient.builder().build();
			this.directRestTemplate = new RestTemplate();
		}
		this.loadBalancedWebClient = webClient.build();
		this.loadBalancedRestClient = restClient.build();
	}

	/** One call of {@code client} to {@code target}. */
	Supplier<String> call(Client client, Target target) {
		String url = switch (target) {
			case DIRECT -> this.direct;
			case STARTER -> "http://svc/hello";
			case SPRING_CLOUD -> "http://stock/hello";
		};
		boolean plain = target == Target.DIRECT;
		return switch (client) {
			case REST_CLIENT -> {
				RestClient restClient = plain ? this.directRestClient : this.loadBalancedRestClient;
				yield () -> restClient.get().uri(url).retrieve().body(String.class);
			}
			case REST_TEMPLATE -> {
				RestTemplate restTemplate = plain ? this.directRestTemplate : this.loadBalancedRestTemplate;
				yield () -> restTemplate.getForObject(url, String.class);
			}
			case WEB_CLIENT -> {
				WebClient webClient = plain ? this.directWebClient : this.loadBalancedWebClient;
				yield () -> webClient.get().uri(url).retrieve().bodyToMono(String.class).block();
			}
		};
	}

	String webClientLoadBalanced() {
		return call(Client.WEB_CLIENT, Target.STARTER).get();
	}

	String webClientDirect() {
		return call(Client.WEB_CLIENT, Target.DIRECT).get();
	}

	String restClientLoadBalanced() {
		return call(Client.REST_CLIENT, Target.STARTER).get();
	}

	String restClientDirect() {
		return call(Client.REST_CLIENT, Target.DIRECT).get();
	}

	String restTemplateLoadBalanced() {
		return call(Client.REST_TEMPLATE, Target.STARTER).get();
	}

	String restTemplateDirect() {
		return call(Client.REST_TEMPLATE, Target.DIRECT).get();
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

		@Bean
		@LoadBalanced
		RestTemplate loadBalancedRestTemplate() {
			return new RestTemplate();
		}

	}

}

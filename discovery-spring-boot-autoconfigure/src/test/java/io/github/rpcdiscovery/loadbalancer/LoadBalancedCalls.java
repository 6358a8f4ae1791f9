package io.github.rpcdiscovery.loadbalancer;

import java.time.Duration;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/** The three {@code @LoadBalanced} clients, each able to call {@code GET http://<service>/hello}. */
enum LoadBalancedCalls {

	REST_CLIENT("rc") {
		@Override
		String get(ApplicationContext context, String serviceId) {
			return context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class)
				.build()
				.get()
				.uri("http://" + serviceId + "/hello")
				.retrieve()
				.body(String.class);
		}

		@Override
		String post(ApplicationContext context, String serviceId) {
			return context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class)
				.build()
				.post()
				.uri("http://" + serviceId + "/hello")
				.body("ping")
				.retrieve()
				.body(String.class);
		}
	},

	REST_TEMPLATE("rt") {
		@Override
		String get(ApplicationContext context, String serviceId) {
			return context.getBean("loadBalancedRestTemplate", RestTemplate.class).getForObject("http://" + serviceId + "/hello", String.class);
		}

		@Override
		String post(ApplicationContext context, String serviceId) {
			return context.getBean("loadBalancedRestTemplate", RestTemplate.class)
				.postForObject("http://" + serviceId + "/hello", "ping", String.class);
		}
	},

	WEB_CLIENT("wc") {
		@Override
		String get(ApplicationContext context, String serviceId) {
			return context.getBean("loadBalancedWebClientBuilder", WebClient.Builder.class)
				.build()
				.get()
				.uri("http://" + serviceId + "/hello")
				.retrieve()
				.bodyToMono(String.class)
				.block(Duration.ofSeconds(10));
		}

		@Override
		String post(ApplicationContext context, String serviceId) {
			return context.getBean("loadBalancedWebClientBuilder", WebClient.Builder.class)
				.build()
				.post()
				.uri("http://" + serviceId + "/hello")
				.bodyValue("ping")
				.retrieve()
				.bodyToMono(String.class)
				.block(Duration.ofSeconds(10));
		}
	};

	final String tag;

	LoadBalancedCalls(String tag) {
		this.tag = tag;
	}

	abstract String get(ApplicationContext context, String serviceId);

	abstract String post(ApplicationContext context, String serviceId);

	/** An application with the three clients, {@code @LoadBalanced}. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApplication {

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

		@Bean
		@LoadBalanced
		WebClient.Builder loadBalancedWebClientBuilder() {
			return WebClient.builder();
		}

	}

}

package io.github.rpcdiscovery.sample.client;

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** A web app that finds sample-server through rpc-discovery and calls it with a {@code @LoadBalanced} RestClient. */
@SpringBootApplication
public class SampleClientApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SampleClientApplication.class);
		application.addListeners(new WebServerPortFileWriter());
		application.run(args);
	}

	@Bean
	@LoadBalanced
	RestClient.Builder loadBalancedRestClientBuilder() {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
		factory.setReadTimeout(Duration.ofSeconds(2));
		return RestClient.builder().requestFactory(factory);
	}

}

package io.github.rpcdiscovery.etcd.registration;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small web application that registers itself; {@code GET /ping} answers while it serves. Also runnable as a child
 * JVM ({@link #main}) for the kill -9 scenario.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@RestController
public class RegistrationTestApp {

	@GetMapping("/ping")
	String ping() {
		return "pong";
	}

	/** Starts the app with the given {@code key=value} properties (and any extra sources). */
	public static ConfigurableApplicationContext start(List<String> properties, Class<?>... sources) {
		return start(WebApplicationType.SERVLET, properties, sources);
	}

	public static ConfigurableApplicationContext start(WebApplicationType type, List<String> properties,
			Class<?>... sources) {
		List<Class<?>> all = new ArrayList<>(List.of(RegistrationTestApp.class));
		all.addAll(List.of(sources));
		return new SpringApplicationBuilder(all.toArray(Class<?>[]::new)).web(type)
			.properties("server.port=0", "spring.cloud.loadbalancer.enabled=false")
			.properties(properties.toArray(String[]::new))
			.run();
	}

	public static void main(String[] args) {
		SpringApplication.run(RegistrationTestApp.class, args);
	}

}

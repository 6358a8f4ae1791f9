package io.github.rpcdiscovery.sample.server;

import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /hello}: which instance answered, as {@code host:port}, and the service id it answers to. */
@RestController
class HelloController {

	private final ObjectProvider<Registration> registration;

	private final WebServerApplicationContext context;

	private final Environment environment;

	HelloController(ObjectProvider<Registration> registration, WebServerApplicationContext context,
			Environment environment) {
		this.registration = registration;
		this.context = context;
		this.environment = environment;
	}

	@GetMapping("/hello")
	Map<String, String> hello() {
		Registration registered = this.registration.getIfAvailable();
		if (registered != null) {
			return Map.of("instance", registered.getHost() + ":" + registered.getPort(), "service",
					registered.getServiceId());
		}
		return Map.of("instance", listenHost() + ":" + this.context.getWebServer().getPort(), "service",
				this.environment.getProperty("spring.application.name", "sample-server"));
	}

	/** Without a registry (direct mode) the address is what we listen on: server.address, else 127.0.0.1. */
	private String listenHost() {
		return this.environment.getProperty("server.address", "127.0.0.1");
	}

}

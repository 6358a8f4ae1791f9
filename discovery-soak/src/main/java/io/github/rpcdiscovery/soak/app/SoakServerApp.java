package io.github.rpcdiscovery.soak.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A server of the soak: registers itself in etcd through the starter (as any application with {@code rpc.etcd.hosts}
 * does) and answers {@code GET /ping}; {@code GET /soak/jvm} reports its threads and heap after GC.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@RestController
public class SoakServerApp {

	@GetMapping("/ping")
	String ping() {
		return "pong";
	}

	@GetMapping("/soak/jvm")
	String jvm() {
		return JvmProbe.report();
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SoakServerApp.class);
		application.addListeners(new WebServerPortFileWriter());
		application.run(args);
	}

}

package io.github.rpcdiscovery.sample.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;

/**
 * Spring Cloud Gateway in front of sample-server, which it finds in etcd: no code, only application.yml (a static
 * {@code lb://sample-server} route, and a route per service registered in etcd from the discovery locator).
 */
@SpringBootApplication
public class SampleGatewayApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SampleGatewayApplication.class);
		// with PORTFILE=<file> in the environment, the chosen port is written there (for a start on port 0)
		application.addListeners(new WebServerPortFileWriter());
		application.run(args);
	}

}

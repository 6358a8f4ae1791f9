package io.github.rpcdiscovery.sample.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;

/** A web service that other services find through rpc-discovery. */
@SpringBootApplication
public class SampleServerApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SampleServerApplication.class);
		// with PORTFILE=<file> in the environment, the chosen port is written there (the demo starts us on port 0)
		application.addListeners(new WebServerPortFileWriter());
		application.run(args);
	}

}

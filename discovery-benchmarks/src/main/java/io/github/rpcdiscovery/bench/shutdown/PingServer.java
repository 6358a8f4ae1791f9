package io.github.rpcdiscovery.bench.shutdown;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A registered web server for the rolling-restart benchmark: {@code GET /ping} → {@code pong}. */
@SpringBootApplication
@RestController
public class PingServer {

	@GetMapping("/ping")
	String ping() {
		return "pong";
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(PingServer.class);
		application.addListeners(new WebServerPortFileWriter());
		application.run(args);
	}

}

package startup;

import java.lang.management.ManagementFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;

/**
 * An empty Boot web app: starts on a free loopback port, prints the JVM uptime at ApplicationReadyEvent and the heap
 * in use, then exits. Started by startup.sh with and without the starter on the classpath.
 */
@SpringBootApplication
public class EmptyApp {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(EmptyApp.class);
		application.addListeners((ApplicationReadyEvent event) -> {
			long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
			long loaded = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
			System.out.println("READY uptimeMs=" + uptime + " classes=" + loaded);
			event.getApplicationContext().close();
		});
		application.run("--server.address=127.0.0.1", "--server.port=0", "--spring.main.banner-mode=off",
				"--logging.level.root=WARN");
	}

}

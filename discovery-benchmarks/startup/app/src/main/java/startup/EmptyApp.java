package startup;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

/**
 * An empty Boot web app: starts on a free loopback port and prints, at ApplicationReadyEvent, the JVM uptime and the
 * classes loaded, then exits. Started by startup.sh with and without the starter on the classpath.
 * <p>
 * {@code --startup.await=<service id>} moves the measurement to the moment Spring Cloud's {@code DiscoveryClient}
 * first lists an instance of that id (etcd: the app's own registration, so the first registration and the first list
 * both count; Kubernetes: the first list of the Service). {@code --startup.steps=N} also prints the N slowest bean
 * instantiations (Spring's own startup steps), to say where the time goes.
 */
@SpringBootApplication
public class EmptyApp {

	private static final long AWAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(EmptyApp.class);
		int steps = stepsWanted(args);
		BufferingApplicationStartup startup = (steps > 0) ? new BufferingApplicationStartup(100_000) : null;
		if (startup != null) {
			application.setApplicationStartup(startup);
		}
		application.addListeners((ApplicationReadyEvent event) -> {
			ConfigurableApplicationContext context = event.getApplicationContext();
			String awaited = context.getEnvironment().getProperty("startup.await");
			System.out.println("CONTEXT readyMs=" + ManagementFactory.getRuntimeMXBean().getUptime());
			if (awaited != null) {
				awaitListed(context, awaited);
			}
			long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
			long loaded = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
			System.out.println("READY uptimeMs=" + uptime + " classes=" + loaded);
			if (startup != null) {
				printSlowestBeans(startup, steps);
			}
			context.close();
		});
		String[] defaults = { "--server.address=127.0.0.1", "--server.port=0", "--spring.main.banner-mode=off",
				"--logging.level.root=WARN" };
		String[] all = new String[defaults.length + args.length];
		System.arraycopy(defaults, 0, all, 0, defaults.length);
		System.arraycopy(args, 0, all, defaults.length, args.length);
		application.run(all);
	}

	private static int stepsWanted(String[] args) {
		for (String arg : args) {
			if (arg.startsWith("--startup.steps=")) {
				return Integer.parseInt(arg.substring("--startup.steps=".length()));
			}
		}
		return 0;
	}

	/**
	 * Polls the {@code DiscoveryClient} by reflection, so that this app also compiles and runs without Spring Cloud on
	 * its classpath (the plain Boot row). A benchmark, not a test: a bounded 1 ms poll is the measurement itself.
	 */
	private static void awaitListed(ConfigurableApplicationContext context, String serviceId) {
		try {
			Class<?> type = Class.forName("org.springframework.cloud.client.discovery.DiscoveryClient");
			Object client = context.getBean(type);
			Method getInstances = type.getMethod("getInstances", String.class);
			long deadline = System.nanoTime() + AWAIT_LIMIT_NANOS;
			while (((List<?>) getInstances.invoke(client, serviceId)).isEmpty()) {
				if (System.nanoTime() > deadline) {
					System.out.println("FAILED " + serviceId + " not listed within " + Duration.ofNanos(AWAIT_LIMIT_NANOS));
					System.exit(1);
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void printSlowestBeans(BufferingApplicationStartup startup, int count) {
		startup.getBufferedTimeline()
			.getEvents()
			.stream()
			.filter((event) -> event.getStartupStep().getName().equals("spring.beans.instantiate"))
			.sorted(Comparator.comparing(TimelineEvent::getDuration).reversed())
			.limit(count)
			.forEach((event) -> System.out.printf("STEP %5d ms %s%n", event.getDuration().toMillis(),
					beanName(event.getStartupStep())));
	}

	private static String beanName(StartupStep step) {
		for (StartupStep.Tag tag : step.getTags()) {
			if (tag.getKey().equals("beanName")) {
				return tag.getValue();
			}
		}
		return "?";
	}

}

package io.github.rpcdiscovery.footprint;

import java.util.TreeSet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An empty web application for {@link LoadedClassesAndThreadsTest}: started in a child JVM, it prints the names of the
 * threads alive once startup is over (one {@code thread: } line each) and exits.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class FootprintApp {

	public static void main(String[] args) {
		ConfigurableApplicationContext context = SpringApplication.run(FootprintApp.class, args);
		TreeSet<String> names = new TreeSet<>();
		Thread.getAllStackTraces().keySet().forEach((thread) -> names.add(thread.getName()));
		names.forEach((name) -> System.out.println("thread: " + name));
		System.out.println("started");
		System.exit(SpringApplication.exit(context));
	}

}

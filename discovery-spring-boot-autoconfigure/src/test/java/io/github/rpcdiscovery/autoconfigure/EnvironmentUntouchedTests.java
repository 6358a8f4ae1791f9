package io.github.rpcdiscovery.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This starter flips no global default: the environment of an application that has it on its class path holds the
 * same property sources, with the same values, as that of an application without it; and Spring Cloud's own
 * settings read as Spring Cloud documents them.
 */
class EnvironmentUntouchedTests {

	@Test
	void anApplicationWithTheStarterDisabledHasTheEnvironmentOfOneWithoutIt() {
		String[] disabled = { "--rpc.discovery.enabled=false", "--rpc.registration.enabled=false" };
		Map<String, Map<String, Object>> withStarter = propertySources(new SpringApplication(App.class), disabled);
		// the same application, without this starter's spring.factories and auto-configuration imports
		SpringApplication without = new SpringApplication(
				new DefaultResourceLoader(new WithoutStarter(getClass().getClassLoader())), App.class);
		Map<String, Map<String, Object>> withoutStarter = propertySources(without, disabled);
		assertThat(withStarter).isEqualTo(withoutStarter);
	}

	@Test
	void springCloudsDefaultsStayTheirsWithTheStarterOn() {
		try (ConfigurableApplicationContext context = run(new SpringApplication(App.class),
				"--rpc.clients[0].name=a", "--rpc.clients[0].endpoints=127.0.0.1:8081")) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("spring.cloud.loadbalancer.cache.enabled")).isNull();
			assertThat(environment.getProperty("spring.cloud.loadbalancer.retry.enabled")).isNull();
			assertThat(environment.getProperty("logging.level.io.fabric8.kubernetes.client.informers.impl.cache"
					+ ".Reflector")).isNull();
		}
	}

	private static Map<String, Map<String, Object>> propertySources(SpringApplication application, String... args) {
		try (ConfigurableApplicationContext context = run(application, args)) {
			Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
			for (PropertySource<?> source : context.getEnvironment().getPropertySources()) {
				Map<String, Object> values = new LinkedHashMap<>();
				if (source instanceof EnumerablePropertySource<?> enumerable
						&& !source.getName().startsWith("system")) {
					for (String name : enumerable.getPropertyNames()) {
						values.put(name, String.valueOf(enumerable.getProperty(name)));
					}
				}
				sources.put(source.getName(), values);
			}
			return sources;
		}
	}

	private static ConfigurableApplicationContext run(SpringApplication application, String... args) {
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run(args);
	}

	/** Hides the resources of this starter's jar (its spring.factories and AutoConfiguration.imports). */
	static final class WithoutStarter extends ClassLoader {

		private final String starter = RpcDiscoveryAutoConfiguration.class.getProtectionDomain()
			.getCodeSource()
			.getLocation()
			.toString();

		WithoutStarter(ClassLoader parent) {
			super(parent);
		}

		@Override
		public Enumeration<URL> getResources(String name) throws IOException {
			List<URL> urls = Collections.list(getParent().getResources(name));
			urls.removeIf((url) -> url.toString().startsWith(this.starter));
			return Collections.enumeration(urls);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}

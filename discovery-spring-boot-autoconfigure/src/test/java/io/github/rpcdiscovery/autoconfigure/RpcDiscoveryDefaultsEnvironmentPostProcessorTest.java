package io.github.rpcdiscovery.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class RpcDiscoveryDefaultsEnvironmentPostProcessorTest {

	private final RpcDiscoveryDefaultsEnvironmentPostProcessor processor = new RpcDiscoveryDefaultsEnvironmentPostProcessor();

	@Test
	void turnsSpringCloudsInstanceCacheOffByDefault() {
		StandardEnvironment environment = new StandardEnvironment();
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.cloud.loadbalancer.cache.enabled")).isEqualTo("false");
	}

	@Test
	void aUserSettingWins() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("user", Map.of("spring.cloud.loadbalancer.cache.enabled", "true")));
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.cloud.loadbalancer.cache.enabled")).isEqualTo("true");
	}

	@Test
	void isRegistered() throws IOException {
		// read the registrations rather than instantiate every post-processor on the classpath: some of Spring Boot's
		// need constructor arguments that only SpringApplication supplies
		List<String> registered = new ArrayList<>();
		Enumeration<URL> files = getClass().getClassLoader()
			.getResources(SpringFactoriesLoader.FACTORIES_RESOURCE_LOCATION);
		while (files.hasMoreElements()) {
			Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(files.nextElement()));
			registered.add(factories.getProperty(org.springframework.boot.EnvironmentPostProcessor.class.getName(), ""));
		}
		assertThat(registered).anySatisfy((names) -> assertThat(names)
			.contains(RpcDiscoveryDefaultsEnvironmentPostProcessor.class.getName()));
	}

}

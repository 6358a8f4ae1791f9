package io.github.rpcdiscovery.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
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
	void isRegistered() {
		// other processors need constructor arguments this test does not provide: ignore them
		SpringFactoriesLoader.FailureHandler ignoreOthers = (factoryType, factoryImplementationName, failure) -> {
		};
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(org.springframework.boot.EnvironmentPostProcessor.class, null, ignoreOthers))
			.hasAtLeastOneElementOfType(RpcDiscoveryDefaultsEnvironmentPostProcessor.class);
	}

}

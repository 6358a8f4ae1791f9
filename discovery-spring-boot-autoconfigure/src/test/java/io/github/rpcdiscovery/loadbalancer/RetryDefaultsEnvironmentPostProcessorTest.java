package io.github.rpcdiscovery.loadbalancer;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class RetryDefaultsEnvironmentPostProcessorTest {

	private final RetryDefaultsEnvironmentPostProcessor processor = new RetryDefaultsEnvironmentPostProcessor();

	@Test
	void turnsLoadBalancerRetryOnForWebClientToo() {
		StandardEnvironment environment = new StandardEnvironment();
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.cloud.loadbalancer.retry.enabled")).isEqualTo("true");
	}

	@Test
	void aUserSettingWins() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("user", Map.of("spring.cloud.loadbalancer.retry.enabled", "false")));
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.cloud.loadbalancer.retry.enabled")).isEqualTo("false");
	}

	@Test
	void isRegistered() {
		// other processors need constructor arguments this test does not provide: ignore them
		SpringFactoriesLoader.FailureHandler ignoreOthers = (factoryType, factoryImplementationName, failure) -> {
		};
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(EnvironmentPostProcessor.class, null, ignoreOthers))
			.hasAtLeastOneElementOfType(RetryDefaultsEnvironmentPostProcessor.class);
	}

}

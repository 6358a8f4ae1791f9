package io.github.rpcdiscovery.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** rpcReadiness joins the readiness group only when the user opts in, and never overrides the user's own group. */
class RpcReadinessEnvironmentPostProcessorTest {

	private static final String GROUP = "management.endpoint.health.group.readiness.include";

	private final RpcReadinessEnvironmentPostProcessor processor = new RpcReadinessEnvironmentPostProcessor();

	@Test
	void nothingChangesWithoutOptingIn() {
		StandardEnvironment environment = new StandardEnvironment();
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(GROUP)).isNull();
		assertThat(environment.getProperty("management.endpoint.health.probes.enabled")).isNull();
	}

	@Test
	void optingInPutsRpcReadinessIntoTheReadinessGroup() {
		StandardEnvironment environment = withUserProperties(Map.of("rpc.health.readiness.enabled", "true"));
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(GROUP)).isEqualTo("readinessState,rpcReadiness");
		assertThat(environment.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
	}

	@Test
	void theUsersOwnReadinessGroupWins() {
		StandardEnvironment environment = withUserProperties(
				Map.of("rpc.health.readiness.enabled", "true", GROUP, "readinessState,db"));
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(GROUP)).isEqualTo("readinessState,db");
	}

	@Test
	void isRegistered() {
		SpringFactoriesLoader.FailureHandler ignoreOthers = (factoryType, factoryImplementationName, failure) -> {
		};
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(org.springframework.boot.EnvironmentPostProcessor.class, null, ignoreOthers))
			.hasAtLeastOneElementOfType(RpcReadinessEnvironmentPostProcessor.class);
	}

	private static StandardEnvironment withUserProperties(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("user", properties));
		return environment;
	}

}

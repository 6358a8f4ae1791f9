package io.github.rpcdiscovery.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static io.github.rpcdiscovery.autoconfigure.DiscoveryHealthQueryEnvironmentPostProcessor.USE_SERVICES_QUERY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Cloud's discovery health check probes instead of calling {@code getServices()}, which would start enumerating
 * the registries (a keyspace watch, a Services informer needing RBAC) in every application with actuator; the user's
 * own setting wins.
 */
class DiscoveryHealthQueryEnvironmentPostProcessorTest {

	private final DiscoveryHealthQueryEnvironmentPostProcessor processor = new DiscoveryHealthQueryEnvironmentPostProcessor();

	@Test
	void theHealthCheckDoesNotQueryTheServicesByDefault() {
		StandardEnvironment environment = new StandardEnvironment();
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(USE_SERVICES_QUERY)).isEqualTo("false");
	}

	@Test
	void theUsersOwnSettingWins() {
		StandardEnvironment environment = withUserProperties(Map.of(USE_SERVICES_QUERY, "true"));
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(USE_SERVICES_QUERY)).isEqualTo("true");
	}

	@Test
	void nothingIsSetWithRpcDiscoveryDisabled() {
		StandardEnvironment environment = withUserProperties(Map.of("rpc.discovery.enabled", "false"));
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(USE_SERVICES_QUERY)).isNull();
	}

	@Test
	void isRegistered() {
		SpringFactoriesLoader.FailureHandler ignoreOthers = (factoryType, factoryImplementationName, failure) -> {
		};
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(org.springframework.boot.EnvironmentPostProcessor.class, null, ignoreOthers))
			.hasAtLeastOneElementOfType(DiscoveryHealthQueryEnvironmentPostProcessor.class);
	}

	private static StandardEnvironment withUserProperties(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("user", properties));
		return environment;
	}

}

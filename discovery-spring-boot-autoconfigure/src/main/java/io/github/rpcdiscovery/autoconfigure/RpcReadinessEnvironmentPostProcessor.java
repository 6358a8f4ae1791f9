package io.github.rpcdiscovery.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code rpc.health.readiness.enabled=true}, puts {@code rpcReadiness} into Spring Boot's readiness group: turns
 * the probes on and defines the group as {@code readinessState,rpcReadiness}, at the lowest precedence. An
 * application that defines {@code management.endpoint.health.group.readiness.include} itself keeps its own (add
 * {@code rpcReadiness} there).
 */
final class RpcReadinessEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY_SOURCE_NAME = "rpcReadinessDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("rpc.health.readiness.enabled", Boolean.class, false)
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("management.endpoint.health.probes.enabled", "true",
							"management.endpoint.health.group.readiness.include", "readinessState,rpcReadiness")));
	}

}

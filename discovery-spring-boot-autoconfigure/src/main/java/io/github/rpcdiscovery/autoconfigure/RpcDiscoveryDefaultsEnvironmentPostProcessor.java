package io.github.rpcdiscovery.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults this starter changes in Spring Cloud, at the lowest precedence so any user setting wins.
 * <p>
 * {@code spring.cloud.loadbalancer.cache.enabled=false}: the instance lists of our services are pushed from the
 * catalog and never go through Spring Cloud's instance cache, whose 35 s TTL is exactly the staleness this starter
 * removes. Turning it off also silences the "default cache" warning at startup. Set it to {@code true} again if other
 * discovery clients in the same application need it.
 */
final class RpcDiscoveryDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY_SOURCE_NAME = "rpcDiscoveryDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
						Map.of("spring.cloud.loadbalancer.cache.enabled", "false")));
		}
	}

}

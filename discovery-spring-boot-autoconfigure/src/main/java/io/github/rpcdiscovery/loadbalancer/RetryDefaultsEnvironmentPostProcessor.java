package io.github.rpcdiscovery.loadbalancer;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns Spring Cloud LoadBalancer's retry on for WebClient too, at the lowest precedence so any user setting wins.
 * <p>
 * Spring Cloud retries RestTemplate and RestClient calls unless {@code spring.cloud.loadbalancer.retry.enabled} is
 * {@code false}, but installs the retrying WebClient filter only when the property is explicitly {@code true}. With it
 * set, a refused connection or a broken GET is retried once on another instance by all three clients alike
 * ({@code spring.cloud.loadbalancer.retry.*} tunes it).
 */
public final class RetryDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY_SOURCE_NAME = "rpcLoadBalancerRetryDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
						Map.of("spring.cloud.loadbalancer.retry.enabled", "true")));
		}
	}

}

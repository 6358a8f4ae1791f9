package io.github.rpcdiscovery.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps Spring Cloud's {@code discoveryComposite} health check from enumerating the registries: sets
 * {@code spring.cloud.discovery.client.health-indicator.use-services-query=false} at the lowest precedence, so the
 * indicator calls {@code probe()} (reads nothing, reports UP) instead of {@code getServices()}. {@code getServices()}
 * starts a watch over the whole etcd keyspace or a Services informer per namespace (which needs RBAC on
 * {@code services}); a health check is no reason to start either. An application that sets the property itself keeps
 * its value; with {@code rpc.discovery.enabled=false} nothing is set.
 */
final class DiscoveryHealthQueryEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY_SOURCE_NAME = "rpcDiscoveryHealthDefaults";

	static final String USE_SERVICES_QUERY = "spring.cloud.discovery.client.health-indicator.use-services-query";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("rpc.discovery.enabled", Boolean.class, true)
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(USE_SERVICES_QUERY, "false")));
	}

}

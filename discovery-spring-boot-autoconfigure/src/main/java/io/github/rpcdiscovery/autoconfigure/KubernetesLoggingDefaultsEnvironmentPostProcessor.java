package io.github.rpcdiscovery.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Quiets three fabric8 loggers, at the lowest precedence so any {@code logging.level} setting wins. While the API
 * server is unreachable or denies access, fabric8's informer logs a WARN with a full stack trace at every retry (about
 * every 30 s per watched Service, forever), its watch an INFO with a stack trace when reconnecting fails, and its
 * WebSocket a WARN with a stack trace when a dead connection is closed. Kubernetes discovery logs its own single WARN
 * or ERROR and INFO for the same events instead.
 */
final class KubernetesLoggingDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY_SOURCE_NAME = "rpcKubernetesLoggingDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
						Map.of("logging.level.io.fabric8.kubernetes.client.informers.impl.cache.Reflector", "ERROR",
								"logging.level.io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager", "WARN",
								"logging.level.io.fabric8.kubernetes.client.jdkhttp.JdkWebSocketImpl", "ERROR")));
		}
	}

}

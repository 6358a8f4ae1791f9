package io.github.rpcdiscovery.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.Environment;

/**
 * Quiets three fabric8 loggers while this starter's Kubernetes discovery runs, each only if the application's
 * configuration sets no {@code logging.level} for it. While the API server is unreachable or denies access,
 * fabric8's informer logs a WARN with a full stack trace at every retry (about every 30 s per watched Service,
 * forever), its watch an INFO with a stack trace when reconnecting fails, and its WebSocket a WARN with a stack
 * trace when a dead connection is closed; Kubernetes discovery logs its own single WARN or ERROR and INFO for the
 * same events instead. Applied to the logging system when the discovery starts, not to the environment: an
 * application without Kubernetes discovery keeps fabric8's levels and its environment as they are.
 */
public final class Fabric8RetryLogging {

	static final Map<String, LogLevel> QUIETER;

	static {
		Map<String, LogLevel> levels = new LinkedHashMap<>();
		levels.put("io.fabric8.kubernetes.client.informers.impl.cache.Reflector", LogLevel.ERROR);
		levels.put("io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager", LogLevel.WARN);
		levels.put("io.fabric8.kubernetes.client.jdkhttp.JdkWebSocketImpl", LogLevel.ERROR);
		QUIETER = Map.copyOf(levels);
	}

	private Fabric8RetryLogging() {
	}

	/** Sets the quieter levels the environment does not set itself. */
	public static void apply(Environment environment, ClassLoader classLoader) {
		LoggingSystem logging = LoggingSystem.get(classLoader);
		QUIETER.forEach((logger, level) -> {
			if (!environment.containsProperty("logging.level." + logger)) {
				logging.setLogLevel(logger, level);
			}
		});
	}

}

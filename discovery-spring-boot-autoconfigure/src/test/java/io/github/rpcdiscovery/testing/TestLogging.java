package io.github.rpcdiscovery.testing;

import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.mock.env.MockEnvironment;

/**
 * Spring Boot's default logging (INFO, Boot's console format) for tests that run library code without an
 * application, so that what they log looks, and is filtered, as in an application.
 */
public final class TestLogging {

	private TestLogging() {
	}

	public static void useSpringBootDefaults() {
		LoggingSystem system = LoggingSystem.get(TestLogging.class.getClassLoader());
		system.beforeInitialize();
		system.initialize(new LoggingInitializationContext(new MockEnvironment()), null, null);
	}

}

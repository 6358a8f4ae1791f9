package io.github.rpcdiscovery.testing.etcd;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestContextAnnotationUtils.AnnotationDescriptor;

/**
 * The etcd of each {@link EmbeddedEtcd} test class, keyed by the class that carries the annotation (so a
 * {@code @Nested} class shares its enclosing class's etcd). Whichever needs it first starts it: normally the
 * extension before the class, the Spring context only when it is created earlier (a per-class test instance).
 */
final class RunningEmbeddedEtcds {

	private static final Map<Class<?>, EmbeddedEtcdServer> servers = new ConcurrentHashMap<>();

	private RunningEmbeddedEtcds() {
	}

	/** The etcd of a test class, started if it does not run yet. */
	static EmbeddedEtcdServer forTestClass(Class<?> testClass) {
		return servers.computeIfAbsent(annotatedClass(testClass), (key) -> EmbeddedEtcdServer.start());
	}

	/** Stops the etcd of a test class. */
	static void stop(Class<?> testClass) {
		EmbeddedEtcdServer server = servers.remove(annotatedClass(testClass));
		if (server != null) {
			server.close();
		}
	}

	static boolean isAnnotated(Class<?> testClass) {
		return TestContextAnnotationUtils.findAnnotationDescriptor(testClass, EmbeddedEtcd.class) != null;
	}

	static Class<?> annotatedClass(Class<?> testClass) {
		AnnotationDescriptor<EmbeddedEtcd> descriptor = TestContextAnnotationUtils.findAnnotationDescriptor(testClass,
				EmbeddedEtcd.class);
		if (descriptor == null) {
			throw new IllegalStateException(testClass.getName() + " is not annotated with @EmbeddedEtcd");
		}
		return descriptor.getRootDeclaringClass();
	}

}

package io.github.rpcdiscovery.testing.etcd;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * The etcd of each {@link EmbeddedEtcd} test class, keyed by the test class itself, not by the class that declares
 * the annotation: subclasses of an annotated base class (it is {@code @Inherited}) may run in parallel, and one
 * finishing must not stop another's etcd. A {@code @Nested} class shares its enclosing class's etcd. Whichever needs it first starts it: normally the
 * extension before the class, the Spring context only when it is created earlier (a per-class test instance).
 */
final class RunningEmbeddedEtcds {

	private static final Map<Class<?>, EmbeddedEtcdServer> servers = new ConcurrentHashMap<>();

	private RunningEmbeddedEtcds() {
	}

	/** The etcd of a test class, started if it does not run yet. */
	static EmbeddedEtcdServer forTestClass(Class<?> testClass) {
		return servers.computeIfAbsent(etcdOwner(testClass), (key) -> EmbeddedEtcdServer.start());
	}

	/** Stops the etcd of a test class. */
	static void stop(Class<?> testClass) {
		EmbeddedEtcdServer server = servers.remove(etcdOwner(testClass));
		if (server != null) {
			server.close();
		}
	}

	static boolean isAnnotated(Class<?> testClass) {
		return TestContextAnnotationUtils.findAnnotationDescriptor(testClass, EmbeddedEtcd.class) != null;
	}

	/** The test class whose etcd this one uses: itself, or for a {@code @Nested} class, its outermost test class. */
	static Class<?> etcdOwner(Class<?> testClass) {
		if (!isAnnotated(testClass)) {
			throw new IllegalStateException(testClass.getName() + " is not annotated with @EmbeddedEtcd");
		}
		Class<?> owner = testClass;
		while (TestContextAnnotationUtils.searchEnclosingClass(owner) && isAnnotated(owner.getEnclosingClass())) {
			owner = owner.getEnclosingClass();
		}
		return owner;
	}

}

package io.github.rpcdiscovery.testing.etcd;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit side of {@link EmbeddedEtcd}: starts the class's etcd before the class and stops it when the class's
 * extension context closes, which is after every {@code afterAll} callback, so Spring's context is closed first.
 * Resolves {@link EmbeddedEtcdServer} parameters.
 */
public final class EmbeddedEtcdExtension implements BeforeAllCallback, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(EmbeddedEtcdExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		// a @Nested class finds its enclosing class's etcd in the parent store: it must not stop it when it ends
		if (context.getStore(NAMESPACE).get(Stopper.class) == null) {
			RunningEmbeddedEtcds.forTestClass(testClass);
			context.getStore(NAMESPACE).put(Stopper.class, new Stopper(testClass));
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == EmbeddedEtcdServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return RunningEmbeddedEtcds.forTestClass(context.getRequiredTestClass());
	}

	/** Closed by JUnit with the class's extension context. */
	private record Stopper(Class<?> testClass) implements AutoCloseable {

		@Override
		public void close() {
			RunningEmbeddedEtcds.stop(this.testClass);
		}

	}

}

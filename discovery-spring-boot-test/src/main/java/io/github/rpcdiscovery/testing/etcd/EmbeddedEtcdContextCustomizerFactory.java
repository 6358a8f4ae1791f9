package io.github.rpcdiscovery.testing.etcd;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points the Spring context of an {@link EmbeddedEtcd} test class at its etcd: {@code rpc.etcd.hosts} is the
 * embedded etcd, ahead of every other property source (as {@code @DynamicPropertySource} values are), so an
 * {@code application.yml} that names a real cluster does not leak into the test.
 */
final class EmbeddedEtcdContextCustomizerFactory implements ContextCustomizerFactory {

	static final String PROPERTY_SOURCE_NAME = "embeddedEtcd";

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return RunningEmbeddedEtcds.isAnnotated(testClass)
				? new EmbeddedEtcdContextCustomizer(RunningEmbeddedEtcds.annotatedClass(testClass)) : null;
	}

	/** Equal per annotated class: two classes never share a context, and so never an etcd. */
	private record EmbeddedEtcdContextCustomizer(Class<?> annotatedClass) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			EmbeddedEtcdServer etcd = RunningEmbeddedEtcds.forTestClass(this.annotatedClass);
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("rpc.etcd.hosts", etcd.hostAndPort())));
		}

	}

}

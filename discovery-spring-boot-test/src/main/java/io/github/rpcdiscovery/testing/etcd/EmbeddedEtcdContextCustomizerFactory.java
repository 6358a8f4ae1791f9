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
 * embedded etcd and {@code rpc.etcd}'s account and TLS are blank, ahead of every other property source (as
 * {@code @DynamicPropertySource} values are), so an {@code application.yml} that names a real cluster does not leak
 * into the test. {@code rpc.clients[i].etcd.hosts} blocks keep their own hosts.
 */
final class EmbeddedEtcdContextCustomizerFactory implements ContextCustomizerFactory {

	static final String PROPERTY_SOURCE_NAME = "embeddedEtcd";

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return RunningEmbeddedEtcds.isAnnotated(testClass)
				? new EmbeddedEtcdContextCustomizer(RunningEmbeddedEtcds.etcdOwner(testClass)) : null;
	}

	/** Equal per etcd owner: two test classes never share a context, and so never an etcd. */
	private record EmbeddedEtcdContextCustomizer(Class<?> etcdOwner) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			EmbeddedEtcdServer etcd = RunningEmbeddedEtcds.forTestClass(this.etcdOwner);
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties(etcd)));
		}

		/**
		 * The embedded etcd is plain and open: the account and TLS that application.yml sets for its real etcd are
		 * blanked (blank means none). Spring's relaxed names match go-zero's Etcd.User, Etcd.CACertFile etc. to
		 * these kebab-case keys, so this source wins over both spellings.
		 */
		private static Map<String, Object> properties(EmbeddedEtcdServer etcd) {
			return Map.of("rpc.etcd.hosts", etcd.hostAndPort(), "rpc.etcd.user", "", "rpc.etcd.pass", "",
					"rpc.etcd.ca-cert-file", "", "rpc.etcd.cert-file", "", "rpc.etcd.cert-key-file", "",
					"rpc.etcd.insecure-skip-verify", "false");
		}

	}

}

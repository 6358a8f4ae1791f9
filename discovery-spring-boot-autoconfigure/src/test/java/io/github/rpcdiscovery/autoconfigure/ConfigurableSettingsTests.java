package io.github.rpcdiscovery.autoconfigure;

import java.time.Duration;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySettings;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancers;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The balancer's and etcd discovery's timings are properties ({@code rpc.balancer.*}, {@code rpc.etcd.discovery.*})
 * that reach the objects using them, and an application's own settings bean replaces them for HTTP and gRPC alike.
 */
class ConfigurableSettingsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, RpcDiscoveryAutoConfiguration.class,
				EtcdDiscoveryAutoConfiguration.class, RpcBalancerAutoConfiguration.class,
				GrpcDiscoveryAutoConfiguration.class))
		// etcd configured, so that its settings apply; nothing is looked up, so nothing connects
		.withPropertyValues("rpc.clients[0].name=a", "rpc.clients[0].endpoints=127.0.0.1:8081",
				"rpc.etcd.hosts=127.0.0.1:2379");

	@Test
	void withNothingSetTheSettingsAreTheDefaults() {
		this.runner.run((context) -> {
			assertThat(httpSettings(context)).isEqualTo(BalancerSettings.defaults());
			assertThat(grpcSettings()).isEqualTo(BalancerSettings.defaults());
			assertThat(etcdSettings(context)).isEqualTo(EtcdDiscoverySettings.defaults());
		});
	}

	@Test
	void eachBalancerPropertyReachesTheHttpBalancersAndTheGrpcPolicy() {
		this.runner
			.withPropertyValues("rpc.balancer.decay=20s", "rpc.balancer.force-pick=2s",
					"rpc.balancer.eject-after-failures=5", "rpc.balancer.first-ejection=3s",
					"rpc.balancer.max-ejection=1m", "rpc.balancer.forget-after=7m")
			.run((context) -> {
				BalancerSettings expected = new BalancerSettings(Duration.ofSeconds(20), Duration.ofSeconds(2), 5,
						Duration.ofSeconds(3), Duration.ofMinutes(1), Duration.ofMinutes(7));
				assertThat(httpSettings(context)).isEqualTo(expected);
				assertThat(grpcSettings()).isEqualTo(expected);
			});
		assertThat(grpcSettings()).as("after the context closed").isEqualTo(BalancerSettings.defaults());
	}

	@Test
	void anApplicationsOwnBalancerSettingsWinForHttpAndGrpc() {
		this.runner.withUserConfiguration(OwnBalancerSettings.class)
			.withPropertyValues("rpc.balancer.decay=20s")
			.run((context) -> {
				assertThat(context).hasSingleBean(BalancerSettings.class);
				assertThat(httpSettings(context)).isSameAs(OwnBalancerSettings.SETTINGS);
				assertThat(grpcSettings()).isSameAs(OwnBalancerSettings.SETTINGS);
			});
	}

	@Test
	void eachEtcdDiscoveryPropertyReachesTheEtcdSource() {
		this.runner
			.withPropertyValues("rpc.etcd.discovery.initial-backoff=100ms", "rpc.etcd.discovery.max-backoff=2s",
					"rpc.etcd.discovery.page-size=200", "rpc.etcd.discovery.batch-size=16",
					"rpc.etcd.discovery.max-concurrent-loads=2")
			.run((context) -> assertThat(etcdSettings(context))
				.isEqualTo(new EtcdDiscoverySettings(EtcdDiscoverySettings.defaults().requestTimeout(),
						Duration.ofMillis(100), Duration.ofSeconds(2), 200, 16, 2)));
	}

	@Test
	void aValueThatCannotWorkFailsTheStartupNamingTheProperty() {
		this.runner.withPropertyValues("rpc.balancer.eject-after-failures=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRpcPropertyException.class)
				.hasMessageContaining("rpc.balancer.eject-after-failures"));
		this.runner.withPropertyValues("rpc.balancer.first-ejection=10s", "rpc.balancer.max-ejection=5s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("rpc.balancer.max-ejection"));
		this.runner.withPropertyValues("rpc.etcd.discovery.batch-size=129")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRpcPropertyException.class)
				.hasMessageContaining("rpc.etcd.discovery.batch-size"));
	}

	private static BalancerSettings httpSettings(AssertableApplicationContext context) {
		return (BalancerSettings) ReflectionTestUtils.getField(context.getBean(ServiceBalancers.class), "settings");
	}

	/** What a channel naming p2c_ewma gets: grpc-java takes the provider of the highest priority. */
	private static BalancerSettings grpcSettings() {
		LoadBalancerProvider provider = LoadBalancerRegistry.getDefaultRegistry().getProvider("p2c_ewma");
		return (BalancerSettings) ReflectionTestUtils.getField(provider, "settings");
	}

	private static EtcdDiscoverySettings etcdSettings(AssertableApplicationContext context) {
		return (EtcdDiscoverySettings) ReflectionTestUtils.getField(context.getBean(EtcdDiscoverySource.class),
				"settings");
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBalancerSettings {

		static final BalancerSettings SETTINGS = new BalancerSettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
				4, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(5));

		@Bean
		BalancerSettings ownBalancerSettings() {
			return SETTINGS;
		}

	}

}

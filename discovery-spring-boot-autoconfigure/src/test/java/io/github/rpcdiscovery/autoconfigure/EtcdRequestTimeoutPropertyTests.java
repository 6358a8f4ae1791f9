package io.github.rpcdiscovery.autoconfigure;

import java.time.Duration;

import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code rpc.etcd.request-timeout} is the deadline of the shared etcd clients' requests; go-zero's 3 s by default. */
class EtcdRequestTimeoutPropertyTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
					RpcDiscoveryAutoConfiguration.class))
		.withPropertyValues("rpc.etcd.hosts=127.0.0.1:2379");

	@Test
	void threeSecondsByDefault() {
		this.runner.run((context) -> assertThat(context.getBean(EtcdConnections.class).requestTimeout())
			.isEqualTo(Duration.ofSeconds(3)));
	}

	@Test
	void theSettingReachesTheClients() {
		this.runner.withPropertyValues("rpc.etcd.request-timeout=1500ms")
			.run((context) -> assertThat(context.getBean(EtcdConnections.class).requestTimeout())
				.isEqualTo(Duration.ofMillis(1500)));
	}

	@Test
	void theSettingIsTheDeadlineOfEtcdDiscoveryReads() {
		this.runner.withPropertyValues("rpc.etcd.request-timeout=4s")
			.run((context) -> assertThat(context.getBean(EtcdDiscoverySettings.class).requestTimeout())
				.isEqualTo(Duration.ofSeconds(4)));
	}

}

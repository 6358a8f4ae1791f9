package io.github.rpcdiscovery.sample.server;

import java.time.Duration;

import io.github.rpcdiscovery.testing.etcd.EmbeddedEtcd;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server registers in a real etcd and is discovered there: {@code @EmbeddedEtcd} starts the etcd binary for this
 * class and is the application's {@code rpc.etcd.hosts}, which no file or property here names.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "rpc.listen-on=127.0.0.1")
@EmbeddedEtcd
class SampleServerEmbeddedEtcdTest {

	@Autowired
	DiscoveryClient discovery;

	@LocalServerPort
	int port;

	@Test
	void registersInEtcdAndIsDiscovered() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.discovery.getInstances("sample-server"))
				.anySatisfy((instance) -> assertThat(instance.getHost() + ":" + instance.getPort())
					.isEqualTo("127.0.0.1:" + this.port)));
	}

}

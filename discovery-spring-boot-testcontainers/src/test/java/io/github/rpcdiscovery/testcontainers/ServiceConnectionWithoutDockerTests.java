package io.github.rpcdiscovery.testcontainers;

import java.time.Duration;

import io.github.rpcdiscovery.autoconfigure.EtcdConnectionDetails;
import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.testing.etcd.EmbeddedEtcdServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole {@code @ServiceConnection} chain without Docker: Spring Boot finds the static {@link EtcdContainer} field,
 * the factory makes its connection details, and the application registers in that etcd and discovers itself there,
 * with no {@code rpc.etcd.hosts} anywhere. The "container" is published on the port of a real etcd process.
 */
@SpringBootTest(classes = ServiceConnectionWithoutDockerTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=hello.rpc", "server.address=127.0.0.1", "rpc.listen-on=127.0.0.1" })
@DirtiesContext
class ServiceConnectionWithoutDockerTests {

	static final EmbeddedEtcdServer etcdProcess = EmbeddedEtcdServer.start();

	@ServiceConnection
	static final EtcdContainer etcd = new PublishedEtcdContainer(etcdProcess.port());

	@Autowired
	RpcDiscoveryClient discovery;

	@Autowired
	EtcdConnectionDetails connectionDetails;

	@Autowired
	Environment environment;

	@LocalServerPort
	int port;

	@Test
	void registersAndDiscoversInTheServiceConnectionsEtcd() {
		assertThat(this.environment.getProperty("rpc.etcd.hosts")).isNull();
		assertThat(this.connectionDetails.getHosts()).containsExactly(etcdProcess.hostAndPort());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.discovery.getInstances("hello.rpc"))
				.anySatisfy((instance) -> assertThat(instance.getPort()).isEqualTo(this.port)));
	}

	@SpringBootApplication
	static class App {

		/** Stopped with the context (after the class), after the application has deregistered. */
		@Bean(destroyMethod = "close")
		EmbeddedEtcdServer etcdProcess() {
			return etcdProcess;
		}

	}

}

package io.github.rpcdiscovery.testcontainers;

import java.time.Duration;

import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with {@code @ServiceConnection EtcdContainer} registers in the container's etcd and discovers
 * itself there, with no {@code rpc.etcd.hosts} anywhere. Needs a Docker engine: without one the class is skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = EtcdServiceConnectionIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=hello.rpc", "server.address=127.0.0.1", "rpc.listen-on=127.0.0.1" })
class EtcdServiceConnectionIntegrationTests {

	@Container
	@ServiceConnection
	static EtcdContainer etcd = new EtcdContainer().withAuthentication("app", "s3cret");

	@Autowired
	RpcDiscoveryClient discovery;

	@LocalServerPort
	int port;

	@Test
	void registersAndDiscoversInTheContainer() {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.discovery.getInstances("hello.rpc"))
				.anySatisfy((instance) -> assertThat(instance.getPort()).isEqualTo(this.port)));
	}

	@SpringBootApplication
	static class App {

	}

}

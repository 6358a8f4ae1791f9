package io.github.rpcdiscovery.sample.gateway;

import java.time.Duration;

import io.github.rpcdiscovery.test.app.RegisteredHttpServer;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.net.LoopbackHttp;
import io.github.rpcdiscovery.testing.etcd.EmbeddedEtcd;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample gateway as configured in its application.yml, on a real etcd ({@code @EmbeddedEtcd}): a server
 * registered under {@code sample-server} answers through the static route ({@code /api/**}) and through the route
 * the discovery locator made for it ({@code /sample-server/**}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@EmbeddedEtcd
class SampleGatewayEtcdTest {

	@LocalServerPort
	int port;

	@Value("${rpc.etcd.hosts}")
	String etcdHosts;

	@Test
	void routesToAServerRegisteredInEtcd() {
		LoopbackHttp http = new LoopbackHttp("http://127.0.0.1:" + this.port);
		try (RegisteredHttpServer server = RegisteredHttpServer.start("sample-server", "127.0.0.2",
				new EtcdCtl("http://" + this.etcdHosts))) {
			server.register();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(http.get("/api/hello").body()).isEqualTo(server.address()));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(http.get("/sample-server/hello").body()).isEqualTo(server.address()));
		}
	}

}

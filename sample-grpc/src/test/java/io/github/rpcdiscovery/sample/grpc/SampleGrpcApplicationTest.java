package io.github.rpcdiscovery.sample.grpc;

import java.time.Duration;
import java.util.Map;

import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two sample servers on 127.0.0.1 and 127.0.0.2 register in etcd; the sample client reaches both through both channels. */
class SampleGrpcApplicationTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	@Test
	void theClientReachesBothServersThroughDiscoveryAndGoZerosTarget() {
		String etcdHosts = "--rpc.etcd.hosts=" + etcd.hostAndPort();
		try (ConfigurableApplicationContext first = server(etcdHosts, "127.0.0.1");
				ConfigurableApplicationContext second = server(etcdHosts, "127.0.0.2");
				ConfigurableApplicationContext client = new SpringApplicationBuilder(SampleGrpcApplication.class)
					.profiles("client")
					.run(etcdHosts, "--spring.grpc.client.channels.hello-gozero.address=etcd:///" + etcd.hostAndPort()
							+ "?key=hello.rpc")) {
			HelloCaller caller = client.getBean(HelloCaller.class);
			for (String channel : new String[] { "hello", "hello-gozero" }) {
				// p2c_ewma probes the other server at least once a second: both answer within a few seconds of calls
				await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
					Map<String, Integer> answers = caller.call(channel, 50);
					assertThat(answers.keySet()).hasSize(2)
						.anySatisfy((address) -> assertThat(address).startsWith("127.0.0.1:"))
						.anySatisfy((address) -> assertThat(address).startsWith("127.0.0.2:"));
				});
			}
		}
		assertThat(etcd.process().etcdctl().keys("hello.rpc/")).isEmpty();
	}

	private static ConfigurableApplicationContext server(String etcdHosts, String host) {
		return new SpringApplicationBuilder(SampleGrpcApplication.class).profiles("server")
			.run(etcdHosts, "--spring.grpc.server.host=" + host);
	}

}

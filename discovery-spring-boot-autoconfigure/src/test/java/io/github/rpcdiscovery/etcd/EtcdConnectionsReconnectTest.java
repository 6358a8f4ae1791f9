package io.github.rpcdiscovery.etcd;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.test.net.FreePorts;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shared clients: one per cluster, and a reconnect that does not wait for gRPC's back-off. The reconnect reaches
 * into jetcd's internals ({@link EtcdConnections#reconnectNow}); a jetcd that keeps its channel elsewhere fails these
 * tests with the fields it no longer has, not an outage in production.
 */
class EtcdConnectionsReconnectTest {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	@Test
	void oneClientPerCluster() {
		try (EtcdConnections connections = new EtcdConnections()) {
			EtcdCluster cluster = EtcdCluster.of(List.of("127.0.0.1:" + FreePorts.next()));
			assertThat(connections.client(cluster)).isSameAs(connections.client(EtcdCluster.of(cluster.hosts())));
		}
	}

	@Test
	void theChannelOfJetcdIsWhereReconnectNowLooks() {
		try (EtcdConnections connections = new EtcdConnections(TIMEOUT)) {
			Client client = connections.client(EtcdCluster.of(List.of("127.0.0.1:" + FreePorts.next())));
			// throws, naming the fields, if jetcd moved them; null: no call made yet
			assertThat(EtcdConnections.channelOf(client)).isNull();
			assertThat(EtcdConnections.reconnectNow(client)).isFalse();
			// the channel exists once a call was made; nothing listens on that port
			assertThatThrownBy(() -> get(client)).isNotNull();
			ManagedChannel channel = EtcdConnections.channelOf(client);
			assertThat(channel).isNotNull();
			// the very channel the call went through: it failed to connect
			assertThat(channel.getState(false)).isIn(ConnectivityState.TRANSIENT_FAILURE, ConnectivityState.CONNECTING,
					ConnectivityState.IDLE);
			assertThat(EtcdConnections.reconnectNow(client)).isTrue();
		}
	}

	@Test
	void anythingElseInJetcdsPlaceFailsLoudly() {
		Client notJetcds = (Client) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Client.class },
				(proxy, method, args) -> null);
		assertThatThrownBy(() -> EtcdConnections.channelOf(notJetcds)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("connectionManager.managedChannel");
		assertThat(EtcdConnections.reconnectNow(notJetcds)).isFalse();
	}

	/**
	 * After etcd has been unreachable for a while, gRPC waits longer and longer between connection attempts (at 12 s,
	 * 6 s or more); {@code reconnectNow} makes the channel connect at once when etcd is back.
	 */
	@Test
	void reconnectNowConnectsAtOnceWhenEtcdIsBack() {
		EtcdProcess etcd = EtcdProcess.create();
		try (etcd; EtcdConnections connections = new EtcdConnections(TIMEOUT)) {
			Client client = connections.client(EtcdCluster.of(List.of(etcd.hostAndPort())));
			// etcd not started yet: each call fails at its deadline, and gRPC's back-off grows meanwhile
			await().during(Duration.ofSeconds(12))
				.atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofSeconds(1))
				.untilAsserted(() -> assertThatThrownBy(() -> get(client)).isNotNull());
			etcd.start();
			ManagedChannel channel = EtcdConnections.channelOf(client);
			// no assertion that the channel is still down here: gRPC's own back-off may already have reconnected while
			// etcd started (seen in a full build), which is a race of the test, not a fault of reconnectNow
			assertThat(EtcdConnections.reconnectNow(client)).isTrue();
			await("connected after reconnectNow").atMost(Duration.ofSeconds(2))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> channel.getState(false) == ConnectivityState.READY);
		}
	}

	private static Object get(Client client) throws Exception {
		return client.getKVClient().get(ByteSequence.from("k", StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
	}

}

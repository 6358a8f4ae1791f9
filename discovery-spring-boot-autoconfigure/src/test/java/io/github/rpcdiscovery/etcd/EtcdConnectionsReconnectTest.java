package io.github.rpcdiscovery.etcd;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.test.net.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared clients: one per cluster, and a reconnect that does not wait for gRPC's back-off. */
class EtcdConnectionsReconnectTest {

	@Test
	void oneClientPerCluster() {
		try (EtcdConnections connections = new EtcdConnections()) {
			EtcdCluster cluster = EtcdCluster.of(List.of("127.0.0.1:" + FreePorts.next()));
			assertThat(connections.client(cluster)).isSameAs(connections.client(EtcdCluster.of(cluster.hosts())));
		}
	}

	/** Guards the reflection into jetcd's internals: an upgrade that moves them fails here, not in an outage. */
	@Test
	void reconnectNowReachesTheClientsChannel() {
		try (EtcdConnections connections = new EtcdConnections()) {
			Client client = connections.client(EtcdCluster.of(List.of("127.0.0.1:" + FreePorts.next())));
			// the channel exists once a call was made; nothing listens on that port
			assertThatThrownBy(() -> client.getKVClient()
				.get(ByteSequence.from("k", StandardCharsets.UTF_8))
				.get(300, TimeUnit.MILLISECONDS)).isNotNull();
			assertThat(EtcdConnections.reconnectNow(client)).isTrue();
		}
	}

}

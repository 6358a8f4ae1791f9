package io.github.rpcdiscovery.etcd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import io.github.rpcdiscovery.target.EtcdCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the connection check says about endpoints that accept connections but do not answer. */
class EtcdConnectionCheckTest {

	@Test
	void anEndpointThatReadsAndClosesWithoutAnsweringIsNotTakenForTls() throws IOException {
		// as a plain etcd that is shutting down, or a proxy whose etcd is gone, does: read what comes, close (FIN)
		try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
			Thread server = new Thread(() -> {
				while (!closing.isClosed()) {
					try (Socket socket = closing.accept()) {
						socket.setSoTimeout(500);
						socket.getInputStream().read(new byte[4096]);
					}
					catch (IOException ex) {
						// next connection
					}
				}
			});
			server.setDaemon(true);
			server.start();
			String address = "127.0.0.1:" + closing.getLocalPort();

			String explanation = EtcdConnectionCheck.explainNoAnswer(EtcdCluster.of(List.of(address)),
					Duration.ofSeconds(2));

			assertThat(explanation).isEqualTo("etcd at " + address + " closed the connection without answering");
		}
	}

}

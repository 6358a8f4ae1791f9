package io.github.rpcdiscovery.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import io.github.rpcdiscovery.test.app.RegisteredHttpServer;
import io.github.rpcdiscovery.test.app.RegisteredServers;
import io.github.rpcdiscovery.test.etcd.EtcdCluster;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.test.net.LoopbackHttp;
import io.github.rpcdiscovery.test.net.TcpProxy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The fixtures do what the fault tests rely on. */
class FixturesTest {

	@Test
	void singleEtcdSurvivesKillAndRestartOnItsDataAndForgetsAfterAWipe() {
		try (EtcdProcess etcd = EtcdProcess.startSingle()) {
			EtcdCtl ctl = etcd.etcdctl();
			long lease = ctl.grantLease(10);
			ctl.put("user.rpc/" + lease, "127.0.0.5:8080", lease);
			assertThat(ctl.getPrefix("user.rpc/")).containsExactly("user.rpc/" + lease, "127.0.0.5:8080");
			etcd.kill();
			assertThat(etcd.isAlive()).isFalse();
			etcd.start();
			assertThat(ctl.keys("user.rpc/")).containsExactly("user.rpc/" + lease);
			etcd.stop();
			etcd.wipeData();
			etcd.start();
			assertThat(ctl.keys("user.rpc/")).isEmpty();
		}
	}

	@Test
	void pausedEtcdStopsAnsweringAndResumes() {
		try (EtcdProcess etcd = EtcdProcess.startSingle()) {
			etcd.pause();
			assertThat(etcd.isHealthy()).isFalse();
			etcd.resume();
			await().atMost(Duration.ofSeconds(10)).until(etcd::isHealthy);
		}
	}

	@Test
	void aMemberReplacedByAnEmptyOneCatchesUpWithTheCluster() {
		try (EtcdCluster cluster = EtcdCluster.start(3)) {
			cluster.etcdctl().put("k", "v");
			EtcdProcess member = cluster.member(2);
			cluster.replaceWithEmptyMember(member);
			assertThat(member.isAlive()).isTrue();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(member.etcdctl().getPrefix("k")).containsExactly("k", "v"));
			assertThat(cluster.etcdctl().run("member", "list").lines().filter((line) -> line.contains("started"))).hasSize(3);
		}
	}

	@Test
	void threeMemberClusterElectsANewLeaderWhenTheLeaderDies() {
		try (EtcdCluster cluster = EtcdCluster.start(3)) {
			EtcdProcess leader = cluster.leader();
			cluster.etcdctl().put("k", "v");
			leader.kill();
			EtcdProcess next = cluster.leader();
			assertThat(next).isNotSameAs(leader);
			assertThat(cluster.etcdctl().getPrefix("k")).containsExactly("k", "v");
		}
	}

	@Test
	void missingEtcdBinaryFailsWithTheInstallCommand() {
		assertThatThrownBy(() -> io.github.rpcdiscovery.test.etcd.EtcdBinaryProbe.find("etcd-that-does-not-exist"))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("apt-get install -y etcd-server etcd-client");
	}

	@Test
	void aRegisteredServerIsKeyedLikeGoZeroAnswersWithItsAddressAndLeavesItsKeyWhenKilled() {
		try (RegisteredServers registry = new RegisteredServers()) {
			EtcdCtl etcdctl = registry.etcd().etcdctl();
			RegisteredHttpServer graceful = registry.startRegistered("fixture.rpc", "127.0.0.2");
			RegisteredHttpServer killed = registry.startRegistered("fixture.rpc", "127.0.0.3");
			List<String> entries = etcdctl.getPrefix("fixture.rpc/");
			assertThat(entries).hasSize(4).contains(graceful.address(), killed.address());
			assertThat(entries.get(0)).matches("fixture\\.rpc/\\d+");
			LoopbackHttp http = new LoopbackHttp("http://" + graceful.address());
			assertThat(http.get("/hello").body()).isEqualTo(graceful.address());
			assertThat(graceful.calls()).isEqualTo(1);

			graceful.deregister();
			killed.kill();
			assertThat(http.get("/hello").ok()).as("still answering after deregistration").isTrue();
			assertThat(new LoopbackHttp("http://" + killed.address()).get("/hello").status()).isZero();
			assertThat(etcdctl.getPrefix("fixture.rpc/")).containsExactly(entries.get(entries.indexOf(killed.address()) - 1),
					killed.address());
		}
	}

	@Test
	void proxyForwardsCutsRefusesAndHeals() throws IOException {
		try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
			Thread server = new Thread(() -> {
				while (!echo.isClosed()) {
					try (Socket socket = echo.accept()) {
						socket.getInputStream().transferTo(socket.getOutputStream());
					}
					catch (IOException ex) {
						// next
					}
				}
			});
			server.setDaemon(true);
			server.start();
			try (TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort())) {
				try (Socket client = new Socket("127.0.0.1", proxy.port())) {
					assertThat(roundTrip(client)).isEqualTo('x');
					proxy.cut();
					assertThatThrownBy(() -> {
						roundTrip(client);
						roundTrip(client);
					}).isInstanceOf(IOException.class);
				}
				proxy.refuse();
				assertThatThrownBy(() -> {
					try (Socket client = new Socket("127.0.0.1", proxy.port())) {
						roundTrip(client);
					}
				}).isInstanceOf(IOException.class);
				proxy.heal();
				try (Socket client = new Socket("127.0.0.1", proxy.port())) {
					assertThat(roundTrip(client)).isEqualTo('x');
				}
			}
		}
	}

	@Test
	void proxyClosesTheCallersConnectionWhenItsTargetIsDown() throws IOException {
		int deadPort;
		try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
			deadPort = gone.getLocalPort();
		}
		try (TcpProxy proxy = TcpProxy.start("127.0.0.1", deadPort);
				Socket client = new Socket("127.0.0.1", proxy.port())) {
			client.setSoTimeout(5000);
			// a reset or an end of stream, as from a dead server; not a connection left hanging
			assertThatThrownBy(() -> {
				if (client.getInputStream().read() < 0) {
					throw new java.io.EOFException("closed");
				}
			}).isInstanceOf(IOException.class).isNotInstanceOf(java.net.SocketTimeoutException.class);
		}
	}

	private static char roundTrip(Socket socket) throws IOException {
		socket.setSoTimeout(3000);
		OutputStream out = socket.getOutputStream();
		InputStream in = socket.getInputStream();
		out.write('x');
		out.flush();
		int read = in.read();
		if (read < 0) {
			throw new IOException("closed");
		}
		return (char) read;
	}

}

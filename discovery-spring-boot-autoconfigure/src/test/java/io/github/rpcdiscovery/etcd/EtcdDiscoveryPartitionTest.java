package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.test.net.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 6: the client reaches etcd through a TCP proxy that loses the path (black hole: bytes vanish, the
 * connection looks open; or cut: connections reset and refused) while keys change and the history is compacted.
 * While cut off, the client keeps its last list; after healing it lists again and ends with exactly etcd's truth.
 */
class EtcdDiscoveryPartitionTest {

	private EtcdProcess etcd;

	private TcpProxy proxy;

	private DiscoveryHarness harness;

	private EtcdCtl etcdctl;

	@BeforeEach
	void start() {
		this.etcd = EtcdProcess.startSingle();
		this.proxy = TcpProxy.start("127.0.0.1", this.etcd.clientPort());
		this.harness = DiscoveryHarness.start(List.of(this.proxy.address()));
		this.etcdctl = this.etcd.etcdctl();
	}

	@AfterEach
	void stop() {
		this.harness.close();
		this.proxy.close();
		this.etcd.close();
	}

	@Test
	void afterABlackHoleTheClientListsAgainAndMatchesEtcd() {
		changesWhileCutOff(TcpProxy::blackhole);
	}

	@Test
	void afterConnectionsAreResetAndRefusedTheClientListsAgainAndMatchesEtcd() {
		changesWhileCutOff(TcpProxy::refuse);
	}

	private void changesWhileCutOff(Consumer<TcpProxy> fault) {
		try (LogCapture logs = LogCapture.withDebug(PrefixMirror.class)) {
			List<Long> leases = new ArrayList<>();
			for (int i = 1; i <= 4; i++) {
				long lease = this.etcdctl.grantLease(600);
				leases.add(lease);
				this.etcdctl.put("user.rpc/" + lease, "127.0.0.1:810" + i, lease);
			}
			this.etcdctl.put("user.rpc/fixed", "127.0.0.1:8105");
			List<String> before = List.of("127.0.0.1:8101", "127.0.0.1:8102", "127.0.0.1:8103", "127.0.0.1:8104",
					"127.0.0.1:8105");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(this.harness.addresses("user.rpc")).containsExactlyElementsOf(before);
				assertThat(this.harness.supplied("user.rpc")).containsExactlyElementsOf(before);
			});

			fault.accept(this.proxy);
			this.etcdctl.revoke(leases.get(0));
			this.etcdctl.delete("user.rpc/" + leases.get(1));
			this.etcdctl.put("user.rpc/fixed", "127.0.0.2:8105");
			long added = this.etcdctl.grantLease(600);
			this.etcdctl.put("user.rpc/" + added, "127.0.0.1:8106", added);
			this.etcdctl.put("user.rpc/also", "127.0.0.1:8106");
			for (int i = 0; i < 20; i++) {
				this.etcdctl.put("unrelated/" + i, "x");
			}
			this.etcdctl.compact(this.etcdctl.revision());
			List<String> truth = EtcdTruth.addresses(this.etcdctl, "user.rpc");
			assertThat(truth).containsExactly("127.0.0.1:8103", "127.0.0.1:8104", "127.0.0.1:8106", "127.0.0.2:8105");

			// cut off: the last list is kept, untouched
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
				assertThat(this.harness.addresses("user.rpc")).containsExactlyElementsOf(before);
				assertThat(this.harness.supplied("user.rpc")).containsExactlyElementsOf(before);
			});

			this.proxy.heal();
			await("exactly etcd's truth after healing").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				assertThat(this.harness.addresses("user.rpc")).containsExactlyElementsOf(truth);
				assertThat(this.harness.supplied("user.rpc")).containsExactlyElementsOf(truth);
			});
			assertThat(logs.messages(Level.DEBUG, "listing again")).isNotEmpty();

			// and it watches again from there
			this.etcdctl.delete("user.rpc/also");
			this.etcdctl.revoke(added);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.harness.addresses("user.rpc"))
					.containsExactly("127.0.0.1:8103", "127.0.0.1:8104", "127.0.0.2:8105")
					.containsExactlyElementsOf(EtcdTruth.addresses(this.etcdctl, "user.rpc")));
			assertThat(logs.anyStackTrace()).isFalse();
		}
	}

}

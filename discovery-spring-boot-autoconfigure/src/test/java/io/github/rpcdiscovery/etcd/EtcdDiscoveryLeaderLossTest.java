package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import io.github.rpcdiscovery.test.etcd.EtcdCluster;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 4, discovery side: a 3-member cluster loses its leader. No instance may disappear from the client's view
 * at any moment (sampled every 2 ms throughout), and changes made after the failover must arrive.
 * <p>
 * The client spreads its watch streams over the three members; with 20 services (21 streams: one per service key and
 * one for the cluster's metadata) some are on the leader but for a chance of (2/3)^21 &lt; 0.02 %, and the test checks
 * that watches really were cut.
 */
class EtcdDiscoveryLeaderLossTest {

	private static final int SERVICES = 20;

	@Test
	void killingTheLeaderNeverShrinksTheViewAndLaterChangesArrive() {
		try (EtcdCluster cluster = EtcdCluster.start(3);
				DiscoveryHarness harness = DiscoveryHarness.start(cluster.hosts());
				LogCapture logs = LogCapture.withDebug(PrefixMirror.class)) {
			EtcdCtl etcdctl = cluster.etcdctl();
			List<Long> leases = List.of(etcdctl.grantLease(600), etcdctl.grantLease(600), etcdctl.grantLease(600));
			for (int i = 0; i < leases.size(); i++) {
				etcdctl.put("user.rpc/" + leases.get(i), "127.0.0." + (5 + i) + ":8080", leases.get(i));
			}
			Map<String, Set<String>> expected = new LinkedHashMap<>();
			expected.put("user.rpc", Set.of("127.0.0.5:8080", "127.0.0.6:8080", "127.0.0.7:8080"));
			for (int i = 1; i < SERVICES; i++) {
				etcdctl.put("svc" + i + ".rpc/1", "127.0.0.1:" + (9000 + i));
				expected.put("svc" + i + ".rpc", Set.of("127.0.0.1:" + (9000 + i)));
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> expected.forEach((serviceId, addresses) -> {
				assertThat(harness.addresses(serviceId)).containsExactlyInAnyOrderElementsOf(addresses);
				assertThat(harness.supplied(serviceId)).containsExactlyInAnyOrderElementsOf(addresses);
			}));

			try (ViewSampler sampler = ViewSampler.expectAlways(harness, expected)) {
				EtcdProcess leader = cluster.leader();
				leader.kill();
				await("a new leader").atMost(Duration.ofSeconds(20)).until(() -> cluster.leader() != leader);
				EtcdCtl survivors = cluster.etcdctl();
				long lease = survivors.grantLease(600);
				survivors.put("user.rpc/" + lease, "127.0.0.8:8080", lease);
				await("the change made after the failover").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
					assertThat(harness.addresses("user.rpc")).contains("127.0.0.8:8080");
					assertThat(harness.supplied("user.rpc")).contains("127.0.0.8:8080");
				});
				await("watches on the dead leader noticed").atMost(Duration.ofSeconds(30))
					.until(() -> !logs.messages(Level.DEBUG, "Watch of etcd prefix").isEmpty());
				assertThat(sampler.violations()).isEmpty();
				assertThat(sampler.samples()).isGreaterThan(100);
			}

			EtcdCtl survivors = cluster.etcdctl();
			survivors.revoke(leases.get(0));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(harness.addresses("user.rpc"))
					.containsExactlyElementsOf(EtcdTruth.addresses(survivors, "user.rpc"))
					.doesNotContain("127.0.0.5:8080")
					.hasSize(3));
			assertThat(logs.anyStackTrace()).isFalse();
		}
	}

}

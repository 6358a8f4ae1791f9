package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Level;
import io.github.rpcdiscovery.test.etcd.EtcdCluster;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 5, discovery side: two of three members die, so the cluster has no quorum (no writes, reads hang, watches
 * with require-leader are cancelled). The client must keep its list, frozen, the whole time, say so once, and
 * converge on etcd's truth once the quorum is back.
 */
class EtcdDiscoveryQuorumLossTest {

	@Test
	void theViewStaysFrozenWithoutQuorumAndConvergesWhenItIsBack() {
		try (EtcdCluster cluster = EtcdCluster.start(3);
				DiscoveryHarness harness = DiscoveryHarness.start(cluster.hosts());
				LogCapture logs = LogCapture.of(ClusterLoads.class, PrefixMirror.class, InstanceDecoder.class)) {
			EtcdCtl etcdctl = cluster.etcdctl();
			long first = etcdctl.grantLease(600);
			long second = etcdctl.grantLease(600);
			etcdctl.put("user.rpc/" + first, "127.0.0.5:8080", first);
			etcdctl.put("user.rpc/" + second, "127.0.0.6:8080", second);
			Set<String> known = Set.of("127.0.0.5:8080", "127.0.0.6:8080");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(harness.supplied("user.rpc")).containsExactlyInAnyOrderElementsOf(known));
			logs.clear();

			List<EtcdProcess> killed;
			try (ViewSampler sampler = ViewSampler.expectAlways(harness, "user.rpc", known)) {
				EtcdProcess leader = cluster.leader();
				killed = cluster.members().stream().filter((member) -> member != leader).toList();
				killed.forEach(EtcdProcess::kill);
				await("the client notices the outage").atMost(Duration.ofSeconds(30))
					.until(() -> !logs.messages(Level.WARN, "is unreachable").isEmpty());
				// and keeps serving the frozen list: it stays exactly the same for a while after noticing
				await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
					assertThat(harness.addresses("user.rpc")).containsExactlyInAnyOrderElementsOf(known);
					assertThat(harness.supplied("user.rpc")).containsExactlyInAnyOrderElementsOf(known);
				});
				killed.forEach(EtcdProcess::start);
				await("quorum back").atMost(Duration.ofSeconds(30)).until(() -> cluster.leader() != null);
				assertThat(sampler.violations()).isEmpty();
			}

			EtcdCtl restored = cluster.etcdctl();
			long third = restored.grantLease(600);
			restored.put("user.rpc/" + third, "127.0.0.7:8080", third);
			restored.revoke(first);
			await("changes after the restoration").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(harness.addresses("user.rpc")).containsExactly("127.0.0.6:8080", "127.0.0.7:8080")
					.containsExactlyElementsOf(EtcdTruth.addresses(restored, "user.rpc"));
				assertThat(harness.supplied("user.rpc")).containsExactly("127.0.0.6:8080", "127.0.0.7:8080");
			});
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !logs.messages(Level.INFO, "is reachable again").isEmpty());
			assertThat(logs.messages(Level.WARN)).as("one WARN for the outage, nothing else").hasSize(1)
				.allMatch((message) -> message.contains("is unreachable"));
			assertThat(logs.messages(Level.INFO, "is reachable again")).hasSize(1);
			assertThat(logs.anyStackTrace()).isFalse();
		}
	}

}

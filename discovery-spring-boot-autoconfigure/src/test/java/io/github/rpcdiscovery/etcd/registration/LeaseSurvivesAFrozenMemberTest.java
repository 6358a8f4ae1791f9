package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.Map;

import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.testing.TestLogging;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a 3-member cluster, one member frozen (SIGSTOP: its connections stay open, nothing answers) for longer than the
 * TTL does not cost a live application its lease: the two other members can renew it. Which member carries jetcd's
 * keepalive stream is not known, so each one is frozen in turn; the registration stays on its first lease throughout.
 */
class LeaseSurvivesAFrozenMemberTest {

	static final Duration TTL = Duration.ofSeconds(3);

	static final Duration FREEZE = TTL.plusSeconds(2);

	@Test
	void freezingAnyOneMemberNeverCostsTheLease() {
		TestLogging.useSpringBootDefaults();
		try (io.github.rpcdiscovery.test.etcd.EtcdCluster etcd = io.github.rpcdiscovery.test.etcd.EtcdCluster.start(3);
				EtcdConnections connections = new EtcdConnections()) {
			EtcdServiceRegistry registry = new EtcdServiceRegistry(connections, EtcdCluster.of(etcd.hosts()), false);
			EtcdRegistration registration = new EtcdRegistration("frozen.rpc", 0, TTL, Map.of(),
					new HostAndPort("127.0.0.22", 8022));
			registry.register(registration);
			String key = registry.currentKey(registration).orElseThrow();
			long lease = registry.currentLeaseId(registration).orElseThrow();

			for (EtcdProcess member : etcd.members()) {
				member.pause();
				try {
					await().during(FREEZE).atMost(FREEZE.plusSeconds(1))
						.untilAsserted(() -> assertThat(registry.currentLeaseId(registration))
							.as("lease while %s is frozen", member.name())
							.contains(lease));
				}
				finally {
					member.resume();
				}
				await().atMost(Duration.ofSeconds(10)).until(member::isHealthy);
				assertThat(new EtcdState(etcd.etcdctl()).ttl(lease))
					.as("etcd still holds the first lease after %s was frozen", member.name())
					.isNotNull();
			}

			EtcdState state = new EtcdState(etcd.etcdctl());
			assertThat(state.entries("frozen.rpc/")).containsExactly(Map.entry(key, "127.0.0.22:8022"));
			assertThat(state.leaseOf(key)).as("the key is still on its first lease").isEqualTo(lease);
			long[] ttl = state.ttl(lease);
			assertThat(ttl).as("the first lease is still renewed").isNotNull();
			assertThat(ttl[1]).isPositive();
			registry.close();
		}
	}

}

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

/**
 * On a 3-member cluster, killing the leader does not interrupt a registration: its key is there in every sample taken
 * while a new leader is elected and for several TTLs after, on the same lease, which keeps being renewed.
 */
class EtcdClusterRegistrationTest {

	static final Duration TTL = Duration.ofSeconds(3);

	@Test
	void killingTheLeaderNeverTakesTheKeyAway() {
		TestLogging.useSpringBootDefaults();
		try (io.github.rpcdiscovery.test.etcd.EtcdCluster etcd = io.github.rpcdiscovery.test.etcd.EtcdCluster.start(3);
				EtcdConnections connections = new EtcdConnections()) {
			EtcdServiceRegistry registry = new EtcdServiceRegistry(connections, EtcdCluster.of(etcd.hosts()), false);
			EtcdRegistration registration = new EtcdRegistration("cluster.rpc", 0, TTL, Map.of(),
					new HostAndPort("127.0.0.21", 8021));
			registry.register(registration);
			String key = registry.currentKey(registration).orElseThrow();
			long lease = registry.currentLeaseId(registration).orElseThrow();

			EtcdProcess leader = etcd.leader();
			leader.kill();

			// sample the key on the surviving members for four TTLs: an expired lease would show as a missing key
			EtcdState survivors = new EtcdState(etcd.etcdctl());
			long end = System.nanoTime() + TTL.multipliedBy(4).toNanos();
			int samples = 0;
			while (System.nanoTime() < end) {
				Map<String, String> entries;
				try {
					entries = survivors.entries("cluster.rpc/");
				}
				catch (AssertionError electionInProgress) {
					continue; // a read during the election fails; that says nothing about the key
				}
				assertThat(entries).as("sample %d", samples).containsExactly(Map.entry(key, "127.0.0.21:8021"));
				samples++;
			}
			assertThat(samples).isGreaterThan(10);
			assertThat(registry.currentLeaseId(registration)).contains(lease);
			long[] ttl = survivors.ttl(lease);
			assertThat(ttl).as("the lease is still renewed four TTLs after the leader died").isNotNull();
			assertThat(ttl[1]).isPositive();
			registry.close();
			assertThat(survivors.entries("cluster.rpc/")).isEmpty();
		}
	}

}

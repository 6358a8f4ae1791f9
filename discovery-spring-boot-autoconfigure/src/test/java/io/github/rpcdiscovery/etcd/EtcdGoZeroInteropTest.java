package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.List;

import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 7, discovery side: entries written exactly as a go-zero server writes them ({@code lease grant 10}, then
 * {@code put user.rpc/<lease id as signed decimal> 127.0.0.5:8080 --lease=<hex id>}) are discovered, de-duplicated by
 * value across keys, and leave when their lease is revoked or runs out. The keys and values are typed from go-zero's
 * documented format (/work/shared/reference/go-zero-discovery.md §1 and §3), not produced by our writer.
 */
class EtcdGoZeroInteropTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	@Test
	void goZeroRegistrationsAreDiscoveredDeduplicatedAndLeaveWithTheirLease() {
		EtcdCtl etcdctl = etcd.process().etcdctl();
		try (DiscoveryHarness harness = DiscoveryHarness.start(List.of(etcd.hostAndPort()))) {
			// two replicas of one server behind one address (e.g. a restart that re-registered before the old lease
			// ran out), and a second server
			long first = etcdctl.grantLease(10);
			long again = etcdctl.grantLease(10);
			long other = etcdctl.grantLease(10);
			etcdctl.put("user.rpc/" + first, "127.0.0.5:8080", first);
			etcdctl.put("user.rpc/" + again, "127.0.0.5:8080", again);
			etcdctl.put("user.rpc/" + other, "127.0.0.6:8080", other);
			assertThat(etcdctl.keys("user.rpc/")).containsExactlyInAnyOrder("user.rpc/" + first,
					"user.rpc/" + again, "user.rpc/" + other);

			assertThat(harness.addresses("user.rpc")).containsExactly("127.0.0.5:8080", "127.0.0.6:8080");
			assertThat(harness.client.getInstances("user.rpc")).extracting("instanceId")
				.containsExactly("127.0.0.5:8080", "127.0.0.6:8080");

			// one of the two keys with the same value goes: the instance stays
			etcdctl.revoke(first);
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
				.untilAsserted(() -> assertThat(harness.supplied("user.rpc")).containsExactly("127.0.0.5:8080",
						"127.0.0.6:8080"));
			etcdctl.revoke(again);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(harness.supplied("user.rpc")).containsExactly("127.0.0.6:8080"));

			// nobody keeps the last lease alive: it runs out after its 10 s TTL and the instance leaves
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(harness.addresses("user.rpc")).isEmpty());
			assertThat(harness.supplied("user.rpc")).isEmpty();
			assertThat(etcdctl.keys("user.rpc/")).isEmpty();
		}
	}

	/**
	 * go-zero's documented key shapes side by side: the reference's own example key, a fixed {@code Etcd.ID}, a key
	 * whose lease id is negative as a signed decimal, and a neighbour whose key only starts with the same letters.
	 * Readers ignore the suffix and read {@code <Key>/} with the slash; a changed value replaces the old address, a
	 * put of the same value changes nothing.
	 */
	@Test
	void everyDocumentedKeyShapeIsDiscoveredAndOnlyUnderItsOwnKey() {
		EtcdCtl etcdctl = etcd.process().etcdctl();
		long lease = etcdctl.grantLease(10);
		etcdctl.put("user.rpc/7587857472832806666", "127.0.0.5:8080", lease);
		etcdctl.put("user.rpc/3", "127.0.0.7:9090", lease);
		etcdctl.put("user.rpc/-5764607523034234879", "127.0.0.6:8081", lease);
		etcdctl.put("user.rpc2/7587857472832806667", "127.0.0.9:8080", lease);
		try (DiscoveryHarness harness = DiscoveryHarness.start(List.of(etcd.hostAndPort()))) {
			assertThat(harness.addresses("user.rpc")).containsExactlyInAnyOrder("127.0.0.5:8080", "127.0.0.7:9090",
					"127.0.0.6:8081");
			assertThat(harness.addresses("user.rpc2")).containsExactly("127.0.0.9:8080");

			int changes = harness.changes("user.rpc").size();
			etcdctl.put("user.rpc/3", "127.0.0.7:9090", lease);
			etcdctl.put("user.rpc/3", "127.0.0.8:9090", lease);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(harness.supplied("user.rpc")).containsExactlyInAnyOrder(
						"127.0.0.5:8080", "127.0.0.8:9090", "127.0.0.6:8081"));
			assertThat(harness.changes("user.rpc")).as("the same value put again is no change").hasSize(changes + 1);

			etcdctl.revoke(lease);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(harness.supplied("user.rpc")).isEmpty();
				assertThat(harness.addresses("user.rpc2")).isEmpty();
			});
		}
	}

}

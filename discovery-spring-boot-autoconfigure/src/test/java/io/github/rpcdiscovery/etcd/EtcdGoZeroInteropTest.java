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
 * value across keys, and leave when their lease is revoked or runs out.
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

}

package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import ch.qos.logback.classic.Level;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With etcd auth, a client role usually may read only its services' prefixes (go-zero's usual grant:
 * {@code user.rpc/}), plus {@code _rpc-meta/user.rpc/} for metadata. Listing {@code _rpc-meta/} as a whole is then
 * refused: discovery must fall back to one metadata watch per key, and a refused prefix in a batched listing must
 * not hold back the others.
 */
class EtcdDiscoveryAuthTest {

	private EtcdProcess etcd;

	private EtcdCtl root;

	@BeforeEach
	void start() {
		this.etcd = EtcdProcess.startSingle();
		EtcdCtl anonymous = this.etcd.etcdctl();
		anonymous.run("user", "add", "root", "--new-user-password=root-secret");
		anonymous.run("auth", "enable");
		this.root = anonymous.with("--user=root:root-secret");
		this.root.run("user", "add", "app", "--new-user-password=app-secret");
		this.root.run("role", "add", "reader");
		for (String prefix : List.of("user.rpc/", "_rpc-meta/user.rpc/", "order.rpc/")) {
			this.root.run("role", "grant-permission", "reader", "--prefix=true", "read", prefix);
		}
		this.root.run("user", "grant-role", "app", "reader");
	}

	@AfterEach
	void stop() {
		this.etcd.close();
	}

	@Test
	void aUserWhoMayNotListTheKeyspaceGetsTheServicesLookedUpWithOneWarning() {
		long lease = this.root.grantLease(600);
		this.root.put("user.rpc/" + lease, "127.0.0.5:8080", lease);
		this.root.put("order.rpc/" + lease, "127.0.0.6:8080", lease);
		EtcdCluster cluster = new EtcdCluster(List.of(this.etcd.hostAndPort()), "app", "app-secret", null, null, null,
				false);
		try (LogCapture logs = LogCapture.of(ServiceKeyIndex.class);
				DiscoveryHarness harness = new DiscoveryHarness(cluster, DiscoveryHarness.FAST)) {
			assertThat(harness.client.getServices()).isEmpty();
			assertThat(harness.addresses("user.rpc")).containsExactly("127.0.0.5:8080");
			assertThat(harness.client.getServices()).containsExactly("user.rpc");
			assertThat(logs.messages(Level.WARN, "refuses to list the service keys")).singleElement()
				.asString()
				.contains("rpc.etcd.discovery.services-prefix")
				.doesNotContain("app-secret");
		}
	}

	@Test
	void metadataIsReadPerKeyWhenTheWholeMetadataTreeIsNotReadable() {
		this.root.put("user.rpc/1", "127.0.0.5:8080");
		this.root.put(InstanceMetadataCodec.metadataKey("user.rpc", "1"),
				InstanceMetadataCodec.encode("127.0.0.5:8080", Map.of("zone", "z1")));
		this.root.put("order.rpc/1", "127.0.0.6:8080");
		this.root.put("secret.rpc/1", "127.0.0.7:8080");
		EtcdCluster cluster = new EtcdCluster(List.of(this.etcd.hostAndPort()), "app", "app-secret", null, null, null,
				false);
		try (LogCapture logs = LogCapture.of(ClusterMetadata.class, ServiceKeyWatcher.class, ClusterLoads.class);
				DiscoveryHarness harness = new DiscoveryHarness(cluster, DiscoveryHarness.FAST)) {
			List<ServiceInstance> instances = harness.client.getInstances("user.rpc");
			assertThat(instances).singleElement()
				.satisfies((instance) -> assertThat(instance.getMetadata()).containsEntry("zone", "z1"));
			assertThat(harness.addresses("order.rpc")).containsExactly("127.0.0.6:8080");
			assertThat(logs.messages(Level.INFO, "reading instance metadata per service key")).hasSize(1);

			// watched per key from now on
			this.root.put(InstanceMetadataCodec.metadataKey("user.rpc", "1"),
					InstanceMetadataCodec.encode("127.0.0.5:8080", Map.of("zone", "z2")));
			this.root.put("order.rpc/2", "127.0.0.8:8080");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(harness.client.getInstances("user.rpc")).singleElement()
					.satisfies((instance) -> assertThat(instance.getMetadata()).containsEntry("zone", "z2"));
				assertThat(harness.addresses("order.rpc")).containsExactly("127.0.0.6:8080", "127.0.0.8:8080");
			});

			// order.rpc may be read, its metadata may not: its instances come without metadata, one WARN
			assertThat(logs.messages(Level.WARN, "'_rpc-meta/order.rpc/'")).hasSize(1);
			// a service the role may not read: nothing, one WARN, and no harm to the others
			CompletableFuture<Void> secret = harness.source
				.watch(new Upstream("secret.rpc", new EtcdTarget(cluster, "secret.rpc"), "test"));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> logs.messages(Level.WARN, "'secret.rpc/'").size() == 1);
			assertThat(secret).isNotDone();
			assertThat(harness.catalog.instances("secret.rpc")).isEmpty();
			assertThat(logs.messages(Level.WARN, "unreachable")).as("a refusal is not an outage")
				.noneMatch((message) -> message.contains("PERMISSION_DENIED"));
			assertThat(logs.anyStackTrace()).isFalse();
			this.root.put("user.rpc/2", "127.0.0.9:8080");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(harness.addresses("user.rpc")).containsExactly("127.0.0.5:8080",
						"127.0.0.9:8080"));
		}
	}

}

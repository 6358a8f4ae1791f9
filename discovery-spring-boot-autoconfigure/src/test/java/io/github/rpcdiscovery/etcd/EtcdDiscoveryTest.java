package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import io.github.rpcdiscovery.core.CatalogChange;
import io.github.rpcdiscovery.cloud.RpcServiceInstance;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.InstanceSnapshot;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Load and watch against a real etcd, with keys written by etcdctl exactly as go-zero writes them; what is asserted
 * is what an application sees through {@code DiscoveryClient.getInstances} and the LoadBalancer supplier.
 */
class EtcdDiscoveryTest {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	private DiscoveryHarness harness;

	private EtcdCtl etcdctl;

	@BeforeEach
	void start() {
		this.harness = DiscoveryHarness.start(List.of(etcd.hostAndPort()));
		this.etcdctl = etcd.process().etcdctl();
	}

	@AfterEach
	void stop() {
		this.harness.close();
	}

	@Test
	void putDeleteAndLeaseRevokeReachTheDiscoveryClientAndTheLoadBalancer() {
		long lease = this.etcdctl.grantLease(600);
		this.etcdctl.put("user.rpc/" + lease, "127.0.0.5:8080", lease);
		assertThat(this.harness.addresses("user.rpc")).containsExactly("127.0.0.5:8080");
		assertThat(this.harness.supplied("user.rpc")).containsExactly("127.0.0.5:8080");

		long second = this.etcdctl.grantLease(600);
		this.etcdctl.put("user.rpc/" + second, "127.0.0.6:8080", second);
		awaitView("user.rpc", "127.0.0.5:8080", "127.0.0.6:8080");

		this.etcdctl.revoke(lease);
		awaitView("user.rpc", "127.0.0.6:8080");

		this.etcdctl.delete("user.rpc/" + second);
		awaitView("user.rpc");
		ServiceInstance[] none = {};
		assertThat(this.harness.client.getInstances("user.rpc")).containsExactly(none);
	}

	@Test
	void instancesCarryTheEtcdSourceAndTheRevision() {
		this.etcdctl.put("origin.rpc/1", "127.0.0.7:9000");
		long revision = this.etcdctl.revision();
		List<ServiceInstance> instances = this.harness.client.getInstances("origin.rpc");
		assertThat(instances).singleElement().satisfies((instance) -> {
			assertThat(instance.getInstanceId()).isEqualTo("127.0.0.7:9000");
			assertThat(instance.getMetadata()).containsEntry(DiscoveredInstance.SOURCE_METADATA_KEY, "etcd");
			assertThat(((RpcServiceInstance) instance).instance().getSource()).isEqualTo("etcd");
		});
		InstanceSnapshot snapshot = this.harness.catalog.snapshot("origin.rpc");
		assertThat(snapshot.origin()).isEqualTo("etcd rev " + revision);
	}

	@Test
	void aServiceWithNoKeysIsLoadedEmptyAndFillsLater() {
		assertThat(this.harness.addresses("empty.rpc")).isEmpty();
		assertThat(this.harness.catalog.snapshot("empty.rpc")).as("loaded, not timed out").isNotNull();
		this.etcdctl.put("empty.rpc/1", "127.0.0.8:8080");
		awaitView("empty.rpc", "127.0.0.8:8080");
	}

	@Test
	void aPutOfTheSameValueChangesNothing() {
		this.etcdctl.put("same.rpc/1", "127.0.0.1:7001");
		assertThat(this.harness.addresses("same.rpc")).containsExactly("127.0.0.1:7001");
		int before = this.harness.changes("same.rpc").size();

		this.etcdctl.put("same.rpc/1", "127.0.0.1:7001");
		// a later event on the same prefix proves the first one was applied (events arrive in revision order)
		this.etcdctl.put("same.rpc/2", "127.0.0.1:7002");
		awaitView("same.rpc", "127.0.0.1:7001", "127.0.0.1:7002");

		List<CatalogChange> changes = this.harness.changes("same.rpc");
		assertThat(changes).hasSize(before + 1);
		CatalogChange last = changes.get(changes.size() - 1);
		assertThat(DiscoveryHarness.addressesOf(last.added())).containsExactly("127.0.0.1:7002");
		assertThat(last.removed()).isEmpty();
		assertThat(last.updated()).isEmpty();
	}

	@Test
	void aNewValueUnderTheSameKeyReplacesTheOldInstanceInOneChange() {
		this.etcdctl.put("moved.rpc/1", "127.0.0.1:7101");
		assertThat(this.harness.addresses("moved.rpc")).containsExactly("127.0.0.1:7101");

		this.etcdctl.put("moved.rpc/1", "127.0.0.2:7102");
		awaitView("moved.rpc", "127.0.0.2:7102");

		List<CatalogChange> changes = this.harness.changes("moved.rpc");
		CatalogChange last = changes.get(changes.size() - 1);
		assertThat(DiscoveryHarness.addressesOf(last.removed())).containsExactly("127.0.0.1:7101");
		assertThat(DiscoveryHarness.addressesOf(last.added())).containsExactly("127.0.0.2:7102");
	}

	@Test
	void aKeyNeverMatchesALongerKeyWithTheSameStart() {
		this.etcdctl.put("prefix.rpc2/1", "127.0.0.1:7202");
		this.etcdctl.put("prefix.rpc/1", "127.0.0.1:7201");
		this.etcdctl.put("prefix.rpc", "127.0.0.1:7200");
		assertThat(this.harness.addresses("prefix.rpc")).containsExactly("127.0.0.1:7201");
		assertThat(this.harness.addresses("prefix.rpc2")).containsExactly("127.0.0.1:7202");

		this.etcdctl.put("prefix.rpc2/2", "127.0.0.1:7203");
		this.etcdctl.put("prefix.rpc/2", "127.0.0.1:7204");
		awaitView("prefix.rpc", "127.0.0.1:7201", "127.0.0.1:7204");
		awaitView("prefix.rpc2", "127.0.0.1:7202", "127.0.0.1:7203");
	}

	@Test
	void valuesThatAreNotHostAndPortAreSkippedWithOneWarningEach() {
		try (LogCapture logs = LogCapture.of(InstanceDecoder.class)) {
			this.etcdctl.put("bad.rpc/good", "127.0.0.1:7301");
			this.etcdctl.put("bad.rpc/garbage", "garbage");
			this.etcdctl.put("bad.rpc/empty", "");
			this.etcdctl.put("bad.rpc/range", "127.0.0.1:70000");
			this.etcdctl.put("bad.rpc/zero", "127.0.0.1:0");
			this.etcdctl.put("bad.rpc/ipv6", "::1:8080");
			assertThat(this.harness.addresses("bad.rpc")).containsExactly("127.0.0.1:7301");

			// more events make the service be read again; the bad values must not be warned about again
			for (int i = 2; i <= 5; i++) {
				this.etcdctl.put("bad.rpc/" + i, "127.0.0.1:730" + i);
			}
			awaitView("bad.rpc", "127.0.0.1:7301", "127.0.0.1:7302", "127.0.0.1:7303", "127.0.0.1:7304",
					"127.0.0.1:7305");

			for (String key : List.of("garbage", "empty", "range", "zero", "ipv6")) {
				assertThat(logs.messages(Level.WARN, "'bad.rpc/" + key + "'")).as(key).hasSize(1);
			}
			assertThat(logs.messages(Level.WARN)).hasSize(5);
			assertThat(logs.anyStackTrace()).isFalse();

			// the same bad key with a good value comes in
			this.etcdctl.put("bad.rpc/garbage", "127.0.0.1:7306");
			awaitView("bad.rpc", "127.0.0.1:7301", "127.0.0.1:7302", "127.0.0.1:7303", "127.0.0.1:7304",
					"127.0.0.1:7305", "127.0.0.1:7306");
		}
	}

	@Test
	void instancesAreDeduplicatedByValue() {
		this.etcdctl.put("dup.rpc/1", "127.0.0.1:7401");
		this.etcdctl.put("dup.rpc/2", "127.0.0.1:7401");
		this.etcdctl.put("dup.rpc/3", " 127.0.0.1:7401 ");
		this.etcdctl.put("dup.rpc/4", "127.0.0.2:7401");
		assertThat(this.harness.addresses("dup.rpc")).containsExactly("127.0.0.1:7401", "127.0.0.2:7401");

		// one of the duplicates goes: the address stays
		this.etcdctl.delete("dup.rpc/1");
		this.etcdctl.delete("dup.rpc/4");
		awaitView("dup.rpc", "127.0.0.1:7401");
		this.etcdctl.delete("dup.rpc/2");
		this.etcdctl.delete("dup.rpc/3");
		awaitView("dup.rpc");
	}

	@Test
	void metadataWrittenBesideAnInstanceIsJoinedByAddress() {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("zone", "z1");
		metadata.put("weight", "10");
		metadata.put("scheme", "https");
		this.etcdctl.put("meta.rpc/1", "127.0.0.1:7501");
		this.etcdctl.put(InstanceMetadataCodec.metadataKey("meta.rpc", "1"),
				InstanceMetadataCodec.encode("127.0.0.1:7501", metadata));
		this.etcdctl.put("meta.rpc/2", "127.0.0.1:7502");

		List<ServiceInstance> instances = this.harness.client.getInstances("meta.rpc");
		assertThat(instances).extracting(ServiceInstance::getInstanceId).containsExactly("127.0.0.1:7501",
				"127.0.0.1:7502");
		ServiceInstance withMetadata = instances.get(0);
		assertThat(withMetadata.getMetadata()).containsEntry("zone", "z1")
			.containsEntry("weight", "10")
			.containsEntry("scheme", "https")
			.containsEntry(DiscoveredInstance.SOURCE_METADATA_KEY, "etcd");
		assertThat(withMetadata.isSecure()).isTrue();
		assertThat(withMetadata.getUri()).hasToString("https://127.0.0.1:7501");
		assertThat(instances.get(1).getMetadata()).containsOnlyKeys(DiscoveredInstance.SOURCE_METADATA_KEY);

		// a second registration of the same address adds its metadata to the one instance
		this.etcdctl.put("meta.rpc/3", "127.0.0.1:7501");
		this.etcdctl.put(InstanceMetadataCodec.metadataKey("meta.rpc", "3"),
				InstanceMetadataCodec.encode("127.0.0.1:7501", Map.of("version", "1.2")));
		await().atMost(DEADLINE).untilAsserted(() -> assertThat(metadataOf("meta.rpc", "127.0.0.1:7501"))
			.containsEntry("zone", "z1")
			.containsEntry("version", "1.2"));
		assertThat(this.harness.addresses("meta.rpc")).containsExactly("127.0.0.1:7501", "127.0.0.1:7502");

		// metadata goes, the instance stays
		this.etcdctl.delete(InstanceMetadataCodec.metadataKey("meta.rpc", "1"));
		this.etcdctl.delete(InstanceMetadataCodec.metadataKey("meta.rpc", "3"));
		await().atMost(DEADLINE).untilAsserted(() -> assertThat(metadataOf("meta.rpc", "127.0.0.1:7501"))
			.containsOnlyKeys(DiscoveredInstance.SOURCE_METADATA_KEY));
		assertThat(this.harness.supplied("meta.rpc")).containsExactly("127.0.0.1:7501", "127.0.0.1:7502");
	}

	@Test
	void malformedMetadataIsIgnoredWithOneWarning() {
		try (LogCapture logs = LogCapture.of(InstanceDecoder.class)) {
			this.etcdctl.put("badmeta.rpc/1", "127.0.0.1:7601");
			this.etcdctl.put(InstanceMetadataCodec.metadataKey("badmeta.rpc", "1"), "zone=z1&nonsense");
			assertThat(this.harness.client.getInstances("badmeta.rpc")).singleElement()
				.satisfies((instance) -> assertThat(instance.getMetadata())
					.containsOnlyKeys(DiscoveredInstance.SOURCE_METADATA_KEY));
			this.etcdctl.put("badmeta.rpc/2", "127.0.0.1:7602");
			awaitView("badmeta.rpc", "127.0.0.1:7601", "127.0.0.1:7602");
			assertThat(logs.messages(Level.WARN)).singleElement()
				.satisfies((message) -> assertThat(message).contains("_rpc-meta/badmeta.rpc/1"));
		}
	}

	@Test
	void metadataKeysAreNotInstances() {
		this.etcdctl.put(InstanceMetadataCodec.metadataKey("hidden.rpc", "1"),
				InstanceMetadataCodec.encode("127.0.0.1:7701", Map.of("zone", "z1")));
		assertThat(this.harness.addresses("hidden.rpc")).isEmpty();
		assertThat(this.harness.addresses("_rpc-meta/hidden.rpc")).as("only under the prefix with the slash")
			.isEmpty();
	}

	@Test
	void bigListsAreReadInPages() {
		for (int i = 1; i <= 7; i++) {
			this.etcdctl.put("paged.rpc/" + i, "127.0.0.1:78" + (10 + i));
		}
		EtcdDiscoverySettings smallPages = new EtcdDiscoverySettings(Duration.ofSeconds(3), Duration.ofMillis(100),
				Duration.ofSeconds(1), 2, 64, 4);
		try (DiscoveryHarness paged = new DiscoveryHarness(List.of(etcd.hostAndPort()), smallPages)) {
			assertThat(paged.addresses("paged.rpc")).hasSize(7).contains("127.0.0.1:7811", "127.0.0.1:7817");
			this.etcdctl.delete("paged.rpc/3");
			await().atMost(DEADLINE).untilAsserted(() -> assertThat(paged.addresses("paged.rpc")).hasSize(6)
				.doesNotContain("127.0.0.1:7813"));
		}
	}

	@Test
	void serviceIdsNamingTheSameKeyShareOneWatch() {
		this.etcdctl.put("shared.rpc/1", "127.0.0.1:7901");
		assertThat(this.harness.addresses("shared.rpc")).containsExactly("127.0.0.1:7901");
		EtcdTarget sameKey = new EtcdTarget(EtcdCluster.of(List.of(etcd.hostAndPort())), "shared.rpc");
		assertThat(this.harness.source.watch(new Upstream("alias", sameKey, "test"))).succeedsWithin(DEADLINE);
		assertThat(DiscoveryHarness.addressesOf(this.harness.catalog.instances("alias")))
			.containsExactly("127.0.0.1:7901");
		this.etcdctl.put("shared.rpc/2", "127.0.0.1:7902");
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(DiscoveryHarness.addressesOf(this.harness.catalog.instances("alias")))
				.containsExactly("127.0.0.1:7901", "127.0.0.1:7902"));
		awaitView("shared.rpc", "127.0.0.1:7901", "127.0.0.1:7902");
	}

	private Map<String, String> metadataOf(String serviceId, String instanceId) {
		return this.harness.client.getInstances(serviceId)
			.stream()
			.filter((instance) -> instance.getInstanceId().equals(instanceId))
			.findFirst()
			.orElseThrow()
			.getMetadata();
	}

	private void awaitView(String serviceId, String... addresses) {
		await().atMost(DEADLINE).untilAsserted(() -> {
			assertThat(this.harness.addresses(serviceId)).containsExactly(addresses);
			assertThat(this.harness.supplied(serviceId)).containsExactly(addresses);
		});
	}

}

package io.github.rpcdiscovery.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.target.HostAndPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceCatalogTest {

	private final ServiceCatalog catalog = new ServiceCatalog();

	static DiscoveredInstance instance(String service, String address) {
		return new DiscoveredInstance(service, HostAndPort.parse(address), "test", Map.of());
	}

	@Test
	void unknownServiceHasNoSnapshotAndNoInstances() {
		assertThat(this.catalog.snapshot("user.rpc")).isNull();
		assertThat(this.catalog.instances("user.rpc")).isEmpty();
	}

	@Test
	void firstLoadCreatesASnapshotEvenWhenEmpty() {
		CatalogChange change = this.catalog.update("user.rpc", List.of(), "load");
		assertThat(change).isNotNull();
		assertThat(change.previous()).isNull();
		assertThat(this.catalog.snapshot("user.rpc").instances()).isEmpty();
	}

	@Test
	void everyChangeGetsANewVersionAndTheDiff() {
		this.catalog.update("user.rpc", List.of(instance("user.rpc", "127.0.0.1:1"), instance("user.rpc", "127.0.0.2:1")), "a");
		long first = this.catalog.version();
		CatalogChange change = this.catalog.update("user.rpc",
				List.of(instance("user.rpc", "127.0.0.2:1"), instance("user.rpc", "127.0.0.3:1")), "b");
		assertThat(change.current().version()).isGreaterThan(first);
		assertThat(change.added()).extracting(DiscoveredInstance::getInstanceId).containsExactly("127.0.0.3:1");
		assertThat(change.removed()).extracting(DiscoveredInstance::getInstanceId).containsExactly("127.0.0.1:1");
		assertThat(change.current().origin()).isEqualTo("b");
	}

	@Test
	void anEqualListIsNoChangeAndTellsNobody() {
		List<CatalogChange> seen = new ArrayList<>();
		this.catalog.addListener(seen::add);
		this.catalog.update("user.rpc", List.of(instance("user.rpc", "127.0.0.1:1")), "a");
		long version = this.catalog.version();
		assertThat(this.catalog.update("user.rpc", List.of(instance("user.rpc", "127.0.0.1:1")), "b")).isNull();
		assertThat(this.catalog.version()).isEqualTo(version);
		assertThat(seen).hasSize(1);
	}

	@Test
	void metadataChangeUnderTheSameIdIsAnUpdate() {
		this.catalog.update("s", List.of(instance("s", "127.0.0.1:1")), "a");
		DiscoveredInstance zoned = new DiscoveredInstance("s", HostAndPort.parse("127.0.0.1:1"), "test",
				Map.of("zone", "z1"));
		CatalogChange change = this.catalog.update("s", List.of(zoned), "b");
		assertThat(change.updated()).containsExactly(zoned);
		assertThat(change.added()).isEmpty();
		assertThat(change.removed()).isEmpty();
	}

	@Test
	void anUnchangedInstanceKeepsItsObjectWhenAnotherOneChanges() {
		DiscoveredInstance stays = instance("s", "127.0.0.1:1");
		this.catalog.update("s", List.of(stays, instance("s", "127.0.0.2:1")), "a");
		DiscoveredInstance zoned = new DiscoveredInstance("s", HostAndPort.parse("127.0.0.2:1"), "test",
				Map.of("zone", "z1"));

		CatalogChange change = this.catalog.update("s", List.of(instance("s", "127.0.0.1:1"), zoned), "b");

		assertThat(change.updated()).containsExactly(zoned);
		assertThat(change.current().instances()).hasSize(2);
		assertThat(change.current().instances().get(0)).isSameAs(stays);
		assertThat(change.current().instances().get(1)).isSameAs(zoned);
		assertThat(this.catalog.instances("s").get(0)).isSameAs(stays);
	}

	@Test
	void duplicatesByInstanceIdKeepTheFirstAndListsAreSorted() {
		this.catalog.update("s", List.of(instance("s", "127.0.0.3:1"), instance("s", "127.0.0.1:1"),
				instance("s", "127.0.0.3:1")), "a");
		assertThat(this.catalog.instances("s")).extracting("instanceId").containsExactly("127.0.0.1:1", "127.0.0.3:1");
	}

	@Test
	void readsReturnTheSameListObjectUntilTheNextChange() {
		this.catalog.update("s", List.of(instance("s", "127.0.0.1:1")), "a");
		assertThat(this.catalog.instances("s")).isSameAs(this.catalog.instances("s"));
	}

	@Test
	void perServiceListenersHearOnlyTheirServiceAndABrokenListenerHurtsNobody() {
		List<String> heard = new ArrayList<>();
		this.catalog.addListener("a", (change) -> {
			throw new IllegalStateException("broken");
		});
		this.catalog.addListener("a", (change) -> heard.add(change.serviceId()));
		this.catalog.update("b", List.of(instance("b", "127.0.0.1:1")), "x");
		this.catalog.update("a", List.of(instance("a", "127.0.0.1:1")), "x");
		assertThat(heard).containsExactly("a");
		assertThat(this.catalog.instances("a")).hasSize(1);
	}

	@Test
	void instancesCarryTheirSourceAndAStableId() {
		DiscoveredInstance instance = new DiscoveredInstance("s", HostAndPort.parse("[::1]:8080"), "etcd",
				Map.of("scheme", "https"));
		assertThat(instance.getMetadata()).containsEntry(DiscoveredInstance.SOURCE_METADATA_KEY, "etcd");
		assertThat(instance.getInstanceId()).isEqualTo("[::1]:8080");
		assertThat(instance.getUri()).hasToString("https://[::1]:8080");
		assertThat(instance.isSecure()).isTrue();
		assertThat(instance.getHost()).isEqualTo("::1");
	}

	@Test
	void onlyIdsWithInstancesAreListed() {
		this.catalog.update("absent", List.of(), "looked up, nothing registered");
		this.catalog.update("user.rpc", List.of(instance("user.rpc", "127.0.0.1:1")), "a");
		this.catalog.update("order.rpc", List.of(instance("order.rpc", "127.0.0.1:2")), "a");
		assertThat(this.catalog.serviceIds()).containsExactlyInAnyOrder("user.rpc", "order.rpc");

		this.catalog.update("order.rpc", List.of(), "every instance left");
		assertThat(this.catalog.serviceIds()).containsExactly("user.rpc");
		this.catalog.remove("user.rpc");
		assertThat(this.catalog.serviceIds()).isEmpty();
	}

	@Test
	void anIdOnlyListenedToLeavesNoEntryOnceItsListenerIsRemoved() {
		CatalogListener listener = (change) -> {
		};
		this.catalog.addListener("never.loaded", listener);
		this.catalog.removeListener("never.loaded", listener);
		assertThat(this.catalog.entryCount()).isZero();
		assertThat(this.catalog.serviceIds()).isEmpty();
	}

	@Test
	void aRemovedIdLeavesNoEntryOnceItsLastListenerIsRemoved() {
		List<String> heard = new ArrayList<>();
		CatalogListener listener = (change) -> heard.add(change.serviceId());
		this.catalog.addListener("user.rpc", listener);
		this.catalog.update("user.rpc", List.of(instance("user.rpc", "127.0.0.1:1")), "a");
		this.catalog.remove("user.rpc");
		assertThat(this.catalog.entryCount()).as("a load balancer still listens").isOne();
		this.catalog.removeListener("user.rpc", listener);
		assertThat(this.catalog.entryCount()).isZero();
		assertThat(this.catalog.snapshot("user.rpc")).isNull();
		assertThat(heard).containsExactly("user.rpc");
	}

	@Test
	void aRemovedIdWithoutListenersLeavesNoEntry() {
		this.catalog.update("user.rpc", List.of(instance("user.rpc", "127.0.0.1:1")), "a");
		this.catalog.remove("user.rpc");
		assertThat(this.catalog.entryCount()).isZero();
	}

	/** Entries come and go while listeners come and go; no update is lost on an entry that was just dropped. */
	@Test
	void updatesRacingWithListenersComingAndGoingAreNeverLost() throws Exception {
		int threads = 4;
		int rounds = 2000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CyclicBarrier start = new CyclicBarrier(threads + 1);
			List<Future<?>> churn = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				churn.add(pool.submit(() -> {
					start.await(10, TimeUnit.SECONDS);
					for (int i = 0; i < rounds; i++) {
						CatalogListener listener = (change) -> {
						};
						this.catalog.addListener("s", listener);
						this.catalog.removeListener("s", listener);
					}
					return null;
				}));
			}
			start.await(10, TimeUnit.SECONDS);
			for (int i = 1; i <= rounds; i++) {
				this.catalog.update("s", List.of(instance("s", "127.0.0.1:" + i)), "round " + i);
				assertThat(this.catalog.instances("s")).extracting("instanceId").containsExactly("127.0.0.1:" + i);
			}
			for (Future<?> future : churn) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.catalog.entryCount()).isOne();
		this.catalog.remove("s");
		assertThat(this.catalog.entryCount()).isZero();
	}

}

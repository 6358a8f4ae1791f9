package io.github.rpcdiscovery.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

}

package io.github.rpcdiscovery.cloud;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.target.HostAndPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CatalogHeartbeatPublisherTest {

	private final ServiceCatalog catalog = new ServiceCatalog();

	private final List<HeartbeatEvent> published = new CopyOnWriteArrayList<>();

	private final CatalogHeartbeatPublisher publisher = new CatalogHeartbeatPublisher(this.catalog,
			(event) -> this.published.add((HeartbeatEvent) event));

	@AfterEach
	void close() {
		this.publisher.destroy();
	}

	/**
	 * A list loaded while the context is still creating its beans would otherwise send listeners' bean creation to
	 * the publishing thread, which then waits on the singleton lock the starting context holds.
	 */
	@Test
	void changesWhileTheContextStartsArePublishedOnceItsBeansExist() {
		this.catalog.update("user.rpc", List.of(instance("127.0.0.1:8081")), "test");
		this.catalog.update("user.rpc", List.of(instance("127.0.0.1:8081"), instance("127.0.0.2:8081")), "test");
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(this.published::isEmpty);

		this.publisher.afterSingletonsInstantiated();

		await().atMost(Duration.ofSeconds(2)).until(() -> !this.published.isEmpty());
		assertThat(this.published).singleElement()
			.satisfies((event) -> assertThat(event.getValue()).isEqualTo(this.catalog.version()));
	}

	@Test
	void afterStartupEveryChangeIsPublished() {
		this.publisher.afterSingletonsInstantiated();
		this.catalog.update("user.rpc", List.of(instance("127.0.0.1:8081")), "test");
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.published.isEmpty());
		this.published.clear();
		this.catalog.update("user.rpc", List.of(), "test");
		await().atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.published).last()
				.satisfies((event) -> assertThat(event.getValue()).isEqualTo(this.catalog.version())));
	}

	private static DiscoveredInstance instance(String address) {
		return new DiscoveredInstance("user.rpc", HostAndPort.parse(address), "test", Map.of());
	}

}

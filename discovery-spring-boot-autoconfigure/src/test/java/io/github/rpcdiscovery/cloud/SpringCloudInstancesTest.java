package io.github.rpcdiscovery.cloud;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.HostAndPort;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Cloud reads the catalog through views made once: the same list until the next change, the same instance
 * object for as long as the catalog keeps the instance, and the catalog's instance behind each.
 */
class SpringCloudInstancesTest {

	private final ServiceCatalog catalog = new ServiceCatalog();

	private final ServiceDiscovery discovery = new ServiceDiscovery(this.catalog,
			new DiscoveryPlan(List.of(), null, null), List.of(), Duration.ofSeconds(1));

	private final RpcDiscoveryClient client = new RpcDiscoveryClient(this.discovery, 0);

	@Test
	void theSameListIsHandedOutUntilTheNextChange() {
		this.catalog.update("svc", List.of(instance("127.0.0.1:8080")), "test");
		List<ServiceInstance> first = this.client.getInstances("svc");

		assertThat(this.client.getInstances("svc")).isSameAs(first);

		this.catalog.update("svc", List.of(instance("127.0.0.1:8080"), instance("127.0.0.2:8080")), "test");
		assertThat(this.client.getInstances("svc")).isNotSameAs(first).hasSize(2);
	}

	@Test
	void anInstanceThatStaysIsTheSameObjectForSpringCloudAcrossChanges() {
		DiscoveredInstance stays = instance("127.0.0.1:8080");
		this.catalog.update("svc", List.of(stays), "test");
		ServiceInstance before = this.client.getInstances("svc").get(0);

		// a registry source reports every change with new objects: an equal one for the instance that stayed
		this.catalog.update("svc", List.of(instance("127.0.0.1:8080"), instance("127.0.0.2:8080")), "test");

		assertThat(this.client.getInstances("svc")).hasSize(2);
		assertThat(this.client.getInstances("svc").get(0)).isSameAs(before);
		assertThat(SpringCloudInstances.unwrap(before)).isSameAs(stays);
	}

	@Test
	void theViewShowsTheInstanceAsDiscovered() {
		this.catalog.update("svc",
				List.of(new DiscoveredInstance("svc", "pod-1", HostAndPort.parse("127.0.0.1:8443"), "kubernetes",
						Map.of("scheme", "https", "zone", "z1"))),
				"test");
		ServiceInstance instance = this.client.getInstances("svc").get(0);
		assertThat(instance.getServiceId()).isEqualTo("svc");
		assertThat(instance.getInstanceId()).isEqualTo("pod-1");
		assertThat(instance.getHost()).isEqualTo("127.0.0.1");
		assertThat(instance.getPort()).isEqualTo(8443);
		assertThat(instance.isSecure()).isTrue();
		assertThat(instance.getUri()).hasToString("https://127.0.0.1:8443");
		assertThat(instance.getMetadata()).containsEntry("zone", "z1").containsEntry("rpc.source", "kubernetes");
		assertThat(instance).isEqualTo(SpringCloudInstances.instance(
				new DiscoveredInstance("svc", "pod-1", HostAndPort.parse("127.0.0.1:8443"), "kubernetes",
						Map.of("scheme", "https", "zone", "z1"))));
	}

	@Test
	void anUnknownServiceHasNoInstances() {
		assertThat(this.client.getInstances("nobody")).isEmpty();
	}

	private static DiscoveredInstance instance(String address) {
		return new DiscoveredInstance("svc", HostAndPort.parse(address), "direct", Map.of());
	}

}

package io.github.rpcdiscovery.cloud;

import java.time.Duration;
import java.util.List;

import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.direct.DirectDiscoverySource;
import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.target.Upstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** In direct mode {@code getServices()} lists the configured clients, looked up or not, blocking and reactive. */
class DirectModeServicesTest {

	private final ServiceCatalog catalog = new ServiceCatalog();

	private final ServiceDiscovery discovery = new ServiceDiscovery(this.catalog,
			new DiscoveryPlan(List.of(direct("user"), direct("order")), null, null),
			List.of(new DirectDiscoverySource(this.catalog)), Duration.ofSeconds(5));

	@AfterEach
	void close() {
		this.discovery.close();
	}

	@Test
	void theConfiguredClientsAreListedBeforeAnyLookup() {
		assertThat(new RpcDiscoveryClient(this.discovery, 0).getServices()).containsExactly("user", "order");
		assertThat(new RpcReactiveDiscoveryClient(this.discovery, 0).getServices().collectList().block())
			.containsExactly("user", "order");
	}

	private static Upstream direct(String serviceId) {
		return new Upstream(serviceId, new DirectTarget(List.of(HostAndPort.parse("127.0.0.5:8080"))),
				"rpc.clients[" + serviceId + "]");
	}

}

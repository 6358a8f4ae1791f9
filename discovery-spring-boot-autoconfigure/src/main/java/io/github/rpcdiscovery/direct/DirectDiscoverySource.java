package io.github.rpcdiscovery.direct;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.DiscoverySource;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.Upstream;

/**
 * go-zero's direct mode ({@code Endpoints}, {@code direct:///a:1,b:2}): a fixed list, published once. Failing nodes
 * are the load balancer's business, not discovery's.
 */
public final class DirectDiscoverySource implements DiscoverySource {

	public static final String NAME = "direct";

	private final ServiceCatalog catalog;

	public DirectDiscoverySource(ServiceCatalog catalog) {
		this.catalog = catalog;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public CompletableFuture<Void> watch(Upstream upstream) {
		DirectTarget target = (DirectTarget) upstream.target();
		List<DiscoveredInstance> instances = target.endpoints()
			.stream()
			.map((endpoint) -> new DiscoveredInstance(upstream.serviceId(), endpoint, NAME, Map.of()))
			.toList();
		this.catalog.update(upstream.serviceId(), instances, "static " + upstream.declaredBy());
		return CompletableFuture.completedFuture(null);
	}

}

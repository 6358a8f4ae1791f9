package io.github.rpcdiscovery.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.DiscoverySource;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.core.UnlistedServices;
import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.target.Upstream;

/**
 * Discovery of one configured service whose instance list the test writes, as a registry source would: a "direct"
 * source that loads nothing by itself, whose first load completes with the first {@link #register}.
 */
public final class ManualDiscovery implements DiscoverySource {

	private final String serviceId;

	private final CompletableFuture<Void> firstLoad = new CompletableFuture<>();

	public final ServiceCatalog catalog = new ServiceCatalog();

	private final DiscoveryPlan plan;

	public ManualDiscovery(String serviceId) {
		this.serviceId = serviceId;
		this.plan = new DiscoveryPlan(List.of(new Upstream(serviceId,
				new DirectTarget(List.of(new HostAndPort("127.0.0.1", 1))), "rpc.clients[0]")), null, null);
	}

	/**
	 * A {@link ServiceDiscovery} over this source, waiting this long for a first load. What is attached to the first
	 * load runs on the thread that {@link #register registers}, so the test decides when it happens.
	 */
	public ServiceDiscovery discovery(Duration initialLoadTimeout) {
		return new ServiceDiscovery(this.catalog, this.plan, List.of(this), initialLoadTimeout,
				UnlistedServices.Settings.defaults(), Runnable::run);
	}

	/** Replaces the service's instances ({@code host:port} each). */
	public void register(String... addresses) {
		List<DiscoveredInstance> instances = new ArrayList<>();
		for (String address : addresses) {
			instances.add(new DiscoveredInstance(this.serviceId, HostAndPort.parse(address), "direct", Map.of()));
		}
		this.catalog.update(this.serviceId, instances, "test");
		this.firstLoad.complete(null);
	}

	/** Replaces the service's instances: each {@code host:port} with its metadata. */
	public void register(Map<String, Map<String, String>> metadataByAddress) {
		List<DiscoveredInstance> instances = new ArrayList<>();
		metadataByAddress.forEach((address, metadata) -> instances
			.add(new DiscoveredInstance(this.serviceId, HostAndPort.parse(address), "direct", metadata)));
		this.catalog.update(this.serviceId, instances, "test");
		this.firstLoad.complete(null);
	}

	@Override
	public String name() {
		return "direct";
	}

	@Override
	public CompletableFuture<Void> watch(Upstream upstream) {
		return this.firstLoad;
	}

}

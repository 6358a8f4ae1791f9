package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.core.CatalogChange;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.core.UnlistedServices;
import io.github.rpcdiscovery.direct.DirectDiscoverySource;
import io.github.rpcdiscovery.loadbalancer.CatalogServiceInstanceListSupplier;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;
import reactor.core.Disposable;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * A client application's discovery stack without Spring: catalog, etcd source, {@link ServiceDiscovery} with the
 * given etcd cluster as the default for any service id, Spring Cloud's {@link DiscoveryClient} and LoadBalancer
 * suppliers. What the tests look at is what an application would see.
 */
final class DiscoveryHarness implements AutoCloseable {

	/**
	 * Production's request timeout (a cold JVM's first request, connection included, may take seconds on a busy
	 * machine), and short back-offs so that fault tests do not wait for production's.
	 */
	static final EtcdDiscoverySettings FAST = new EtcdDiscoverySettings(Duration.ofSeconds(3), Duration.ofMillis(100),
			Duration.ofSeconds(1), 1000, 64, 4);

	final ServiceCatalog catalog = new ServiceCatalog();

	final EtcdConnections connections = new EtcdConnections();

	final EtcdDiscoverySource source;

	final ServiceDiscovery discovery;

	final DiscoveryClient client;

	private final Map<String, CatalogServiceInstanceListSupplier> suppliers = new ConcurrentHashMap<>();

	private final Map<String, AtomicReference<List<ServiceInstance>>> supplied = new ConcurrentHashMap<>();

	private final List<Disposable> subscriptions = new CopyOnWriteArrayList<>();

	private final List<CatalogChange> changes = new CopyOnWriteArrayList<>();

	DiscoveryHarness(List<String> etcdHosts, EtcdDiscoverySettings settings) {
		this(EtcdCluster.of(etcdHosts), settings);
	}

	DiscoveryHarness(EtcdCluster cluster, EtcdDiscoverySettings settings) {
		this.catalog.addListener(this.changes::add);
		this.source = new EtcdDiscoverySource(this.catalog, this.connections, settings);
		DiscoveryPlan plan = new DiscoveryPlan(List.of(), cluster, null);
		this.discovery = new ServiceDiscovery(this.catalog, plan,
				List.of(this.source, new DirectDiscoverySource(this.catalog)), Duration.ofSeconds(15),
				// every id resolves: these tests are about the etcd source, not about which ids it is asked for
				new UnlistedServices.Settings(UnlistedServices.Mode.ALL, Duration.ofMinutes(10), 512,
						Duration.ofSeconds(10)));
		this.client = new RpcDiscoveryClient(this.discovery, 0);
	}

	static DiscoveryHarness start(List<String> etcdHosts) {
		return new DiscoveryHarness(etcdHosts, FAST);
	}

	/** {@code host:port} of each instance, as {@link DiscoveryClient#getInstances} returns them. */
	List<String> addresses(String serviceId) {
		return addressesOf(this.client.getInstances(serviceId));
	}

	/** What the LoadBalancer supplier of the service last emitted (subscribes on first call). */
	List<String> supplied(String serviceId) {
		AtomicReference<List<ServiceInstance>> latest = this.supplied.computeIfAbsent(serviceId, (id) -> {
			AtomicReference<List<ServiceInstance>> reference = new AtomicReference<>(List.of());
			CatalogServiceInstanceListSupplier supplier = new CatalogServiceInstanceListSupplier(id, this.discovery);
			this.suppliers.put(id, supplier);
			this.subscriptions.add(supplier.get().subscribe(reference::set));
			return reference;
		});
		return addressesOf(latest.get());
	}

	/** Every catalog change so far, oldest first. */
	List<CatalogChange> changes(String serviceId) {
		return this.changes.stream().filter((change) -> change.serviceId().equals(serviceId)).toList();
	}

	/** {@code host:port} of each instance, the catalog's or Spring Cloud's, sorted. */
	static List<String> addressesOf(List<?> instances) {
		return instances.stream().map(DiscoveryHarness::addressOf).sorted().toList();
	}

	private static String addressOf(Object instance) {
		if (instance instanceof DiscoveredInstance discovered) {
			return discovered.getHost() + ":" + discovered.getPort();
		}
		ServiceInstance cloud = (ServiceInstance) instance;
		return cloud.getHost() + ":" + cloud.getPort();
	}

	@Override
	public void close() {
		this.subscriptions.forEach(Disposable::dispose);
		this.suppliers.values().forEach(CatalogServiceInstanceListSupplier::destroy);
		this.discovery.close();
		this.source.close();
		this.connections.close();
	}

}

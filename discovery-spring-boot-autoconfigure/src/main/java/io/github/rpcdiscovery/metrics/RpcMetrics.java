package io.github.rpcdiscovery.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.core.CatalogChange;
import io.github.rpcdiscovery.core.CatalogListener;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancer;
import io.github.rpcdiscovery.status.ConnectionState;
import io.github.rpcdiscovery.status.ConnectionTracker;
import io.github.rpcdiscovery.status.DiscoveryObserver;
import io.github.rpcdiscovery.status.RegistrationState;
import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;
import io.github.rpcdiscovery.actuate.RpcStatusSources;
import io.github.rpcdiscovery.target.Upstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The starter's Micrometer meters. Tags stay few and bounded: {@code service} (a service id or registered key),
 * {@code source} ({@code etcd}, {@code kubernetes}, {@code direct}), {@code cluster} (the etcd hosts, or the watched
 * {@code namespace/service}), {@code state}, and {@code zone} / {@code target.zone} (the caller's zone and an
 * instance's, {@code unknown} without one).
 * <p>
 * Counters read the sources' own counts ({@link FunctionCounter}), so nothing is counted twice and the hot paths
 * (a pick) pay one {@code LongAdder} increment. Meters of services, connections and registrations that appear later
 * are registered when they appear.
 */
public final class RpcMetrics implements MeterBinder, DiscoveryObserver, CatalogListener {

	private final RpcStatusSources sources;

	private final Map<String, io.micrometer.core.instrument.Meter> serviceGauges = new ConcurrentHashMap<>();

	private final Set<String> registrationsBound = ConcurrentHashMap.newKeySet();

	private final Map<String, Counter> renewals = new ConcurrentHashMap<>();

	private final Map<String, Counter> regrants = new ConcurrentHashMap<>();

	private final Map<ConnectionTracker, Timer> propagation = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry registry;

	public RpcMetrics(RpcStatusSources sources) {
		this.sources = sources;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		ServiceCatalog catalog = this.sources.discovery().catalog();
		catalog.addListener(this);
		this.sources.discovery().serviceIds().forEach(this::bindService);
		this.sources.registries().forEach((source) -> source.registryConnections().observe(this));
		this.sources.registrations().forEach((provider) -> {
			provider.observe(this);
			provider.registrations().forEach((status) -> bindRegistration(status.serviceKey()));
		});
		if (this.sources.balancers() != null) {
			this.sources.balancers().onBalancer(this::bindBalancer);
		}
	}

	@Override
	public void onChange(CatalogChange change) {
		if (change.previous() == null) {
			bindService(change.serviceId());
		}
	}

	/** A service left the catalog (idle unlisted id): its gauge goes too, so meters stay bounded. */
	@Override
	public void onRemoved(String serviceId) {
		MeterRegistry meters = this.registry;
		io.micrometer.core.instrument.Meter gauge = this.serviceGauges.remove(serviceId);
		if (meters != null && gauge != null) {
			meters.remove(gauge);
		}
	}

	private void bindService(String serviceId) {
		MeterRegistry meters = this.registry;
		if (meters == null || this.serviceGauges.containsKey(serviceId)) {
			return;
		}
		String source = this.sources.discovery().plan().upstreamFor(serviceId).map(Upstream::target).map((t) -> t.source())
			.orElse("none");
		ServiceCatalog catalog = this.sources.discovery().catalog();
		this.serviceGauges.put(serviceId, Gauge.builder("rpc.discovery.instances", catalog, (c) -> c.instances(serviceId).size())
			.description("Instances of a service in the catalog")
			.tags("service", serviceId, "source", source)
			.register(meters));
	}

	@Override
	public void connectionTracked(ConnectionTracker connection) {
		MeterRegistry meters = this.registry;
		if (meters == null) {
			return;
		}
		Tags tags = Tags.of("source", connection.source(), "cluster", connection.name());
		for (ConnectionState state : ConnectionState.values()) {
			Gauge.builder("rpc.discovery.connection.state", connection, (c) -> (c.state() == state) ? 1 : 0)
				.description("1 for the state a registry connection is in, 0 for the others")
				.tags(tags.and("state", state.name().toLowerCase(Locale.ROOT)))
				.register(meters);
		}
		TimeGauge.builder("rpc.discovery.connection.staleness", connection, TimeUnit.MILLISECONDS,
				(c) -> c.status().staleness(this.sources.clock().instant()).toMillis())
			.description("How old the served view of a registry connection may be: 0 while connected")
			.tags(tags)
			.register(meters);
		FunctionCounter.builder("rpc.discovery.watch.events", connection, ConnectionTracker::watchEventCount)
			.description("Registry watch events applied")
			.tags(tags)
			.register(meters);
		FunctionCounter.builder("rpc.discovery.relists", connection, ConnectionTracker::relistCount)
			.description("Complete listings of a registry prefix or Service (first loads, reconnects, recoveries)")
			.tags(tags)
			.register(meters);
	}

	@Override
	public void propagated(ConnectionTracker connection, long nanos) {
		MeterRegistry meters = this.registry;
		if (meters == null) {
			return;
		}
		this.propagation.computeIfAbsent(connection, (c) -> Timer.builder("rpc.discovery.propagation")
			.description("From a registry event's arrival to the catalog (and its listeners) being updated")
			.tags("source", c.source(), "cluster", c.name())
			.register(meters)).record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void leaseRenewed(String serviceKey) {
		bindRegistration(serviceKey);
		// null while another thread is still binding this key's meters, or before binding: that renewal goes uncounted
		Counter counter = this.renewals.get(serviceKey);
		if (counter != null) {
			counter.increment();
		}
	}

	@Override
	public void leaseGranted(String serviceKey, boolean replacing) {
		bindRegistration(serviceKey);
		if (replacing) {
			Counter counter = this.regrants.get(serviceKey);
			if (counter != null) {
				counter.increment();
			}
		}
	}

	private void bindRegistration(String serviceKey) {
		MeterRegistry meters = this.registry;
		if (meters == null || !this.registrationsBound.add(serviceKey)) {
			return;
		}
		this.renewals.put(serviceKey, Counter.builder("rpc.registration.lease.renewals")
			.description("Lease renewals (keepalive answers) of this application's registration")
			.tags("service", serviceKey)
			.register(meters));
		this.regrants.put(serviceKey, Counter.builder("rpc.registration.lease.regrants")
			.description("Leases granted to replace a lost one (expired during an outage, etcd restarted empty)")
			.tags("service", serviceKey)
			.register(meters));
		for (RegistrationState state : RegistrationState.values()) {
			Gauge.builder("rpc.registration.state", this, (m) -> (m.stateOf(serviceKey) == state) ? 1 : 0)
				.description("1 for the state this application's registration is in, 0 for the others")
				.tags("service", serviceKey, "state", state.name().toLowerCase(Locale.ROOT))
				.register(meters);
		}
	}

	private @Nullable RegistrationState stateOf(String serviceKey) {
		for (RegistrationStatusProvider provider : this.sources.registrations()) {
			for (RegistrationStatus status : provider.registrations()) {
				if (status.serviceKey().equals(serviceKey)) {
					return status.state();
				}
			}
		}
		return null;
	}

	private void bindBalancer(ServiceBalancer balancer) {
		MeterRegistry meters = this.registry;
		if (meters == null) {
			return;
		}
		FunctionCounter.builder("rpc.loadbalancer.picks", balancer, ServiceBalancer::picks)
			.description("Instances picked by the load balancer")
			.tags("service", balancer.serviceId())
			.register(meters);
		FunctionCounter.builder("rpc.loadbalancer.ejections", balancer, ServiceBalancer::ejections)
			.description("Instances ejected by the load balancer (refused connections, consecutive failures)")
			.tags("service", balancer.serviceId())
			.register(meters);
		String callerZone = balancer.zonePicks().localZone();
		Gauge.builder("rpc.loadbalancer.zone.spill", balancer, ServiceBalancer::spill)
			.description("Share of calls (0 to 1) that zone preference currently sends out of the caller's zone")
			.tags("service", balancer.serviceId(), "zone", callerZone)
			.register(meters);
		// zones are few (a region's zones, plus unknown): one counter per zone the service's instances are in
		balancer.zonePicks()
			.onZone((zone) -> FunctionCounter
				.builder("rpc.loadbalancer.zone.picks", balancer, (b) -> b.zonePicks().picks(zone))
				.description("Instances picked by the load balancer, by the caller's zone and the instance's zone")
				.tags("service", balancer.serviceId(), "zone", callerZone, "target.zone", zone)
				.register(meters));
	}

}

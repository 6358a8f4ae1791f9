package io.github.rpcdiscovery.core;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.Upstream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of discovery: answers "which instances does service S have" from the {@link ServiceCatalog}, and
 * asks the right {@link DiscoverySource} to start watching a service the first time it is looked up. After that first
 * load, lookups are a map read.
 */
public final class ServiceDiscovery implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ServiceDiscovery.class);

	private final ServiceCatalog catalog;

	private final DiscoveryPlan plan;

	private final Map<String, DiscoverySource> sources;

	private final Duration initialLoadTimeout;

	/** The first-load future of every watch started, completed on discovery's own threads. */
	private final FirstLoads firstLoads;

	private final UnlistedServices unlisted;

	private final RegistryServices registryServices;

	private @Nullable ScheduledExecutorService idleSweeper;

	public ServiceDiscovery(ServiceCatalog catalog, DiscoveryPlan plan, List<DiscoverySource> sources,
			Duration initialLoadTimeout) {
		this(catalog, plan, sources, initialLoadTimeout, UnlistedServices.Settings.defaults());
	}

	public ServiceDiscovery(ServiceCatalog catalog, DiscoveryPlan plan, List<DiscoverySource> sources,
			Duration initialLoadTimeout, UnlistedServices.Settings unlisted) {
		this(catalog, plan, sources, initialLoadTimeout, unlisted, new FirstLoads());
	}

	/**
	 * Like the other constructors, with the executor that runs what callers attach to first loads (by default two
	 * threads of discovery's own); a test that drives every step by hand passes one that runs them at once.
	 */
	public ServiceDiscovery(ServiceCatalog catalog, DiscoveryPlan plan, List<DiscoverySource> sources,
			Duration initialLoadTimeout, UnlistedServices.Settings unlisted, Executor firstLoadCallbacks) {
		this(catalog, plan, sources, initialLoadTimeout, unlisted, new FirstLoads(firstLoadCallbacks));
	}

	private ServiceDiscovery(ServiceCatalog catalog, DiscoveryPlan plan, List<DiscoverySource> sources,
			Duration initialLoadTimeout, UnlistedServices.Settings unlisted, FirstLoads firstLoads) {
		this.firstLoads = firstLoads;
		this.catalog = catalog;
		this.plan = plan;
		this.sources = sources.stream().collect(Collectors.toMap(DiscoverySource::name, Function.identity()));
		this.initialLoadTimeout = initialLoadTimeout;
		this.unlisted = new UnlistedServices(unlisted, System::nanoTime);
		this.registryServices = new RegistryServices(catalog, plan, this.sources,
				unlisted.mode() != UnlistedServices.Mode.NONE);
	}

	/**
	 * Starts watching every configured upstream, so their first lookups find them loaded, and the sweep that closes
	 * idle watches of unlisted ids. Does not block.
	 */
	public void start() {
		for (Upstream upstream : this.plan.configured()) {
			watch(upstream.serviceId());
		}
		boolean defaultRegistry = this.plan.defaultEtcd() != null || this.plan.kubernetesNamespace() != null;
		if (defaultRegistry && this.unlisted.settings().mode() != UnlistedServices.Mode.NONE) {
			ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "rpc-discovery-idle-sweep");
				thread.setDaemon(true);
				return thread;
			});
			long period = Math.max(1000, Math.min(30_000, this.unlisted.settings().idleTimeout().toMillis() / 2));
			sweeper.scheduleWithFixedDelay(this::closeIdleWatches, period, period, TimeUnit.MILLISECONDS);
			this.idleSweeper = sweeper;
		}
	}

	public ServiceCatalog catalog() {
		return this.catalog;
	}

	public DiscoveryPlan plan() {
		return this.plan;
	}

	/**
	 * Whether a service id resolves here: configured, or unlisted and admitted by {@code rpc.discovery.unlisted}
	 * ({@link UnlistedServices}: by default, if the default registry holds it). May ask the registry once, waiting at
	 * most {@code rpc.discovery.initial-load-timeout}.
	 */
	public boolean resolves(String serviceId) {
		if (this.plan.isConfigured(serviceId)) {
			return true;
		}
		Optional<Upstream> upstream = this.plan.upstreamFor(serviceId);
		if (upstream.isEmpty()) {
			return false;
		}
		return resolution(serviceId, upstream.get()).join();
	}

	/** Whether an unlisted id resolves here; completes within the initial load timeout, never exceptionally. */
	private CompletableFuture<Boolean> resolution(String serviceId, Upstream upstream) {
		return this.unlisted.admission(serviceId, () -> probe(upstream), this.initialLoadTimeout);
	}

	private CompletableFuture<Boolean> probe(Upstream upstream) {
		DiscoverySource source = this.sources.get(upstream.target().source());
		return (source != null) ? source.holds(upstream) : CompletableFuture.completedFuture(false);
	}

	/**
	 * A load balancer of this service is about to pick: keeps an unlisted id's watch from closing as idle, and
	 * re-opens it if it was closed. Cheap when the watch is open: one map write.
	 */
	public void touch(String serviceId) {
		if (this.plan.isConfigured(serviceId)) {
			return;
		}
		if (this.unlisted.isWatched(serviceId)) {
			this.unlisted.used(serviceId);
			return;
		}
		// admitted before (a balancer exists for it), so no new question to the registry
		this.plan.upstreamFor(serviceId).ifPresent(this::watchUnlisted);
	}

	/** How many unlisted ids have an open watch now. */
	public int unlistedWatchCount() {
		return this.unlisted.watchedCount();
	}

	/**
	 * The instances of a service. Known services: a map read. A service looked up for the first time: starts its
	 * watch and waits up to {@code rpc.discovery.initial-load-timeout} for its first load.
	 */
	public List<DiscoveredInstance> getInstances(String serviceId) {
		InstanceSnapshot snapshot = lookUp(serviceId);
		return (snapshot != null) ? snapshot.instances() : List.of();
	}

	/**
	 * The snapshot of a service, as {@link #getInstances} finds it (a map read, or the bounded wait for a first
	 * load); {@code null} if nothing is loaded for it.
	 */
	public @Nullable InstanceSnapshot lookUp(String serviceId) {
		InstanceSnapshot snapshot = this.catalog.snapshot(serviceId);
		if (snapshot != null) {
			if (this.unlisted.isWatched(serviceId)) {
				this.unlisted.used(serviceId);
			}
			return snapshot;
		}
		FirstLoads.Load load = watch(serviceId);
		if (load == null) {
			return null;
		}
		load.await(this.initialLoadTimeout);
		return this.catalog.snapshot(serviceId);
	}

	/**
	 * Completes with the service's snapshot once it is loaded, or after the initial load timeout with whatever the
	 * catalog has then ({@code null} if nothing). Never completes exceptionally.
	 */
	public CompletableFuture<@Nullable InstanceSnapshot> whenLoaded(String serviceId) {
		InstanceSnapshot snapshot = this.catalog.snapshot(serviceId);
		if (snapshot != null) {
			if (this.unlisted.isWatched(serviceId)) {
				this.unlisted.used(serviceId);
			}
			return CompletableFuture.completedFuture(snapshot);
		}
		Optional<Upstream> upstream = this.plan.upstreamFor(serviceId);
		if (upstream.isEmpty()) {
			return CompletableFuture.completedFuture(null);
		}
		if (this.plan.isConfigured(serviceId)) {
			return loaded(serviceId, watchOnce(upstream.get()).relayed());
		}
		// no thread waits for the registry's answer: this runs on reactive callers' event loops
		return resolution(serviceId, upstream.get()).thenComposeAsync((resolves) -> resolves
				? loaded(serviceId, watchUnlisted(upstream.get()).relayed()) : CompletableFuture.completedFuture(null),
				this.firstLoads.executor());
	}

	/**
	 * Like {@link #whenLoaded(String)} for an upstream that is not in the plan (a gRPC channel target that names its
	 * own registry, say): starts watching it under its own service id, once, through the source its target names.
	 */
	public CompletableFuture<@Nullable InstanceSnapshot> whenLoaded(Upstream upstream) {
		InstanceSnapshot snapshot = this.catalog.snapshot(upstream.serviceId());
		if (snapshot != null) {
			return CompletableFuture.completedFuture(snapshot);
		}
		return loaded(upstream.serviceId(), watchOnce(upstream).relayed());
	}

	private CompletableFuture<@Nullable InstanceSnapshot> loaded(String serviceId, CompletableFuture<Void> load) {
		if (load.isDone()) {
			// loaded already (static endpoints): the caller's own thread reads the catalog, as for a listed service
			return CompletableFuture.completedFuture(this.catalog.snapshot(serviceId));
		}
		// a copy times out, not the shared watch future: a later caller still waits for the first load; a timeout
		// fires on the JDK's one delay thread, so the answer is handed to ours
		return load.copy()
			.completeOnTimeout(null, this.initialLoadTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.handleAsync((ignored, failure) -> this.catalog.snapshot(serviceId), this.firstLoads.executor());
	}

	/** Whether a source of this name ({@code direct}, {@code etcd}, {@code kubernetes}) is available. */
	public boolean hasSource(String name) {
		return this.sources.containsKey(name);
	}

	/** Configured service ids and every service looked up so far. */
	public Set<String> serviceIds() {
		Set<String> ids = new LinkedHashSet<>();
		this.plan.configured().forEach((upstream) -> ids.add(upstream.serviceId()));
		ids.addAll(this.catalog.serviceIds());
		return ids;
	}

	/**
	 * Every service the registries hold that resolves here ({@link RegistryServices}): Spring Cloud's
	 * {@code getServices()}. The first call starts enumerating the registries and waits for their first listing, at
	 * most {@code rpc.discovery.initial-load-timeout}; later calls read memory.
	 */
	public Set<String> services() {
		this.registryServices.firstListings(this.initialLoadTimeout).join();
		return this.registryServices.serviceIds();
	}

	/** Like {@link #services()}, without blocking: completes on discovery's own threads. */
	public CompletableFuture<Set<String>> whenServicesListed() {
		return this.registryServices.firstListings(this.initialLoadTimeout)
			.thenApplyAsync((listed) -> this.registryServices.serviceIds(), this.firstLoads.executor());
	}

	private FirstLoads.@Nullable Load watch(String serviceId) {
		Optional<Upstream> upstream = this.plan.upstreamFor(serviceId);
		if (upstream.isEmpty()) {
			return null;
		}
		if (this.plan.isConfigured(serviceId)) {
			return watchOnce(upstream.get());
		}
		if (!this.unlisted.isWatched(serviceId) && !resolves(serviceId)) {
			return null;
		}
		return watchUnlisted(upstream.get());
	}

	private FirstLoads.Load watchUnlisted(Upstream upstream) {
		this.unlisted.used(upstream.serviceId());
		FirstLoads.Load load = watchOnce(upstream);
		if (this.unlisted.watchedCount() > this.unlisted.settings().maxServices()) {
			closeIdleWatches();
		}
		return load;
	}

	/** Closes the watches of unlisted ids nobody looked up for a while, or the oldest over the bound. */
	void closeIdleWatches() {
		this.unlisted.evictable().forEach((serviceId, reason) -> {
			this.firstLoads.remove(serviceId);
			this.plan.upstreamFor(serviceId).ifPresent((upstream) -> {
				DiscoverySource source = this.sources.get(upstream.target().source());
				if (source != null) {
					source.unwatch(upstream);
				}
			});
			this.catalog.remove(serviceId);
			logger.info("Stopped watching '" + serviceId + "': " + reason + " (rpc.discovery.unlisted)");
		});
	}

	private FirstLoads.Load watchOnce(Upstream upstream) {
		return this.firstLoads.of(upstream.serviceId(), () -> startWatch(upstream));
	}

	private CompletableFuture<Void> startWatch(Upstream upstream) {
		String sourceName = upstream.target().source();
		DiscoverySource source = this.sources.get(sourceName);
		if (source == null) {
			logger.warn("Service '" + upstream.serviceId() + "' (" + upstream.declaredBy() + ") needs the "
					+ sourceName + " source, which is not available: add discovery-spring-boot-starter, which"
					+ " brings its client library");
			return CompletableFuture.failedFuture(new IllegalStateException("no " + sourceName + " source"));
		}
		try {
			return source.watch(upstream);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not start watching '" + upstream.serviceId() + "' in " + sourceName + ": " + ex);
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public void close() {
		if (this.idleSweeper != null) {
			this.idleSweeper.shutdownNow();
		}
		this.firstLoads.close();
		for (DiscoverySource source : this.sources.values()) {
			try {
				source.close();
			}
			catch (Exception ex) {
				logger.debug("Closing discovery source " + source.name() + " failed", ex);
			}
		}
	}

}

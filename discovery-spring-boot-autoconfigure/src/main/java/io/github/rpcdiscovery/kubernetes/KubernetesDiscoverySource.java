package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.core.DiscoverySource;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceEnumeration;
import io.github.rpcdiscovery.status.RegistryConnections;
import io.github.rpcdiscovery.status.RegistryStatusProvider;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.RpcTarget;
import io.github.rpcdiscovery.target.Upstream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * go-zero's {@code k8s://namespace/service:port}, done better: the ready endpoints of all the EndpointSlices of a
 * Service, kept current by fabric8 informers.
 * <p>
 * One informer per Kubernetes Service (namespace and name), shared by every service id that resolves to it (say two
 * client blocks calling two ports of one Service). Not one per namespace: that would list, cache and wake up for every
 * slice of the namespace, however few of its Services this application calls. A watchdog thread checks the watches
 * once a second: a lost watch is reported once, and the Service is listed anew when it is back.
 */
public final class KubernetesDiscoverySource implements DiscoverySource, RegistryStatusProvider {

	public static final String NAME = "kubernetes";

	private static final Log logger = LogFactory.getLog(KubernetesDiscoverySource.class);

	/** A Service name (RFC 1035 label). */
	private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

	private final KubernetesClient client;

	private final ServiceCatalog catalog;

	private final KubernetesProperties properties;

	private final WatchReporter reporter;

	private final Map<String, SliceWatch> watches = new ConcurrentHashMap<>();

	/** namespace → its Services' names, for {@code getServices()}; started by the first enumeration */
	private final Map<String, NamespaceServices> namespaces = new ConcurrentHashMap<>();

	private final RegistryConnections connectionStates = new RegistryConnections(NAME);

	private final ScheduledExecutorService watchdog;

	private final SliceProbes probes;

	private final Duration maxWatchSilence;

	private volatile boolean closed;

	public KubernetesDiscoverySource(KubernetesClient client, ServiceCatalog catalog, KubernetesProperties properties) {
		this(client, catalog, properties, Duration.ofSeconds(1), WatchLiveness.DEFAULT_MAX_SILENCE);
	}

	KubernetesDiscoverySource(KubernetesClient client, ServiceCatalog catalog, KubernetesProperties properties,
			Duration watchdogInterval, Duration maxWatchSilence) {
		this.maxWatchSilence = maxWatchSilence;
		this.client = client;
		this.catalog = catalog;
		this.properties = properties;
		this.reporter = new WatchReporter(client.getConfiguration().getMasterUrl());
		this.probes = new SliceProbes(client);
		this.watchdog = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "rpc-kubernetes-watchdog");
			thread.setDaemon(true);
			return thread;
		});
		this.watchdog.scheduleWithFixedDelay(this::tick, watchdogInterval.toMillis(), watchdogInterval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public CompletableFuture<Void> watch(Upstream upstream) {
		KubernetesTarget target = (KubernetesTarget) upstream.target();
		String problem = invalidName(target);
		if (problem != null) {
			// a service id looked up in Kubernetes mode that cannot be a Service name, e.g. user.rpc
			logger.error("Service id '" + upstream.serviceId() + "' (" + upstream.declaredBy() + ") cannot be"
					+ " discovered in Kubernetes: " + problem + "; give it a client block whose target names the"
					+ " Service, e.g. rpc.clients[0].name: " + upstream.serviceId() + ", rpc.clients[0].target: k8s://"
					+ target.namespace() + "/my-service:8080");
			return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
		}
		if (this.closed) {
			return CompletableFuture.failedFuture(new IllegalStateException("the Kubernetes source is closed"));
		}
		PortRule rule = PortRule.of(target.port(), this.properties.portNameFor(target.service()));
		return watchOf(target).bind(upstream.serviceId(), rule, this.properties.preferredAddressFamily());
	}

	private SliceWatch watchOf(KubernetesTarget target) {
		String key = target.namespace() + "/" + target.service();
		SliceWatch watch = this.watches.get(key);
		if (watch != null) {
			return watch;
		}
		SliceWatch created = new SliceWatch(this.client, target.namespace(), target.service(), this.catalog,
				this.reporter, this.properties.includeServiceLabels(), this.connectionStates.track(key),
				this.maxWatchSilence);
		watch = this.watches.putIfAbsent(key, created);
		if (watch != null) {
			return watch;
		}
		// started outside the map: its first list may publish, and listeners may look up other services
		created.start();
		return created;
	}

	/**
	 * Whether the Service has an EndpointSlice: one list of at most one slice, with the permission the watch needs
	 * anyway. Runs off the caller's thread, on the source's own few probe threads.
	 */
	@Override
	public CompletableFuture<Boolean> holds(Upstream upstream) {
		KubernetesTarget target = (KubernetesTarget) upstream.target();
		if (this.closed || invalidName(target) != null) {
			return CompletableFuture.completedFuture(false);
		}
		return this.probes.holds(target);
	}

	/** The Services of the target's namespace: one informer per namespace, started by the first call. */
	@Override
	public @Nullable ServiceEnumeration enumerate(RpcTarget place) {
		if (this.closed || !(place instanceof KubernetesTarget target)
				|| !KubernetesProperties.isDnsLabel(target.namespace())) {
			return null;
		}
		NamespaceServices services = this.namespaces.get(target.namespace());
		if (services != null) {
			return services;
		}
		NamespaceServices created = new NamespaceServices(this.client, target.namespace(), this.catalog);
		services = this.namespaces.putIfAbsent(target.namespace(), created);
		if (services != null) {
			return services;
		}
		created.start();
		return created;
	}

	@Override
	public void unwatch(Upstream upstream) {
		KubernetesTarget target = (KubernetesTarget) upstream.target();
		String key = target.namespace() + "/" + target.service();
		SliceWatch watch = this.watches.get(key);
		if (watch != null && watch.unbind(upstream.serviceId()) && this.watches.remove(key, watch)) {
			watch.close();
		}
	}

	/**
	 * Rejects configured {@code k8s://} targets whose namespace or service cannot exist in Kubernetes, naming the
	 * property.
	 */
	public static void checkConfiguredTargets(DiscoveryPlan plan) {
		for (Upstream upstream : plan.configured()) {
			if (upstream.target() instanceof KubernetesTarget target) {
				String problem = invalidName(target);
				if (problem != null) {
					String property = upstream.declaredBy().startsWith("rpc.clients[")
							? upstream.declaredBy() + ".target" : upstream.declaredBy();
					throw new InvalidRpcPropertyException(property, "k8s://" + target.namespace() + "/"
							+ target.service() + ((target.port() != null) ? ":" + target.port() : ""), problem,
							"write the namespace and the Service name as kubectl shows them, e.g."
									+ " k8s://default/user-svc:8080");
				}
			}
		}
	}

	/** Why a target cannot name a Service, or {@code null} if it can. */
	static @Nullable String invalidName(KubernetesTarget target) {
		if (!KubernetesProperties.isDnsLabel(target.namespace())) {
			return "'" + target.namespace() + "' is not a valid namespace name (lower-case letters, digits and '-',"
					+ " at most 63)";
		}
		if (!SERVICE_NAME.matcher(target.service()).matches()) {
			return "'" + target.service() + "' is not a valid Service name (a lower-case letter, then lower-case"
					+ " letters, digits and '-', at most 63)";
		}
		return null;
	}

	/** The access problems of the moment: what the API server refuses, per watched Service. */
	public List<KubernetesAccessDeniedException> accessProblems() {
		return this.reporter.accessProblems();
	}

	/** The watched Services and their state, for the health endpoint. */
	List<WatchStatus> status() {
		List<WatchStatus> status = new ArrayList<>();
		this.watches.values().forEach((watch) -> status.add(watch.status()));
		return status;
	}

	/** The state of each watched Service: connected or not since when, the resourceVersion, how stale the view is. */
	@Override
	public RegistryConnections registryConnections() {
		return this.connectionStates;
	}

	String apiServer() {
		return this.reporter.apiServer();
	}

	/** Called once startup has checked the configured services: later access problems are logged as errors. */
	void startupChecked() {
		this.reporter.startupChecked();
	}

	private void tick() {
		for (SliceWatch watch : this.watches.values()) {
			try {
				watch.tick();
			}
			catch (RuntimeException ex) {
				logger.debug("Checking the watch of " + watch + " failed", ex);
			}
		}
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.watchdog.shutdownNow();
		this.probes.close();
		this.watches.values().forEach(SliceWatch::close);
		this.watches.clear();
		this.namespaces.values().forEach(NamespaceServices::close);
		this.namespaces.clear();
	}

}

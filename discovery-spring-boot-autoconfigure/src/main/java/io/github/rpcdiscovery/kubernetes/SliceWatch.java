package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties.AddressFamily;
import io.github.rpcdiscovery.kubernetes.ServiceBinding.Assembly;
import io.github.rpcdiscovery.kubernetes.ServiceBinding.Problem;
import io.github.rpcdiscovery.status.ConnectionTracker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The EndpointSlices of one Kubernetes Service, kept by one fabric8 informer (list, then watch, selected by the
 * {@code kubernetes.io/service-name} label), and the service ids that resolve to that Service, each with its own port.
 * <p>
 * The catalog changes only when the informer's cache does: on errors nothing is published, so the last list stays
 * ("freeze"). The first list is published once it is complete, never slice by slice. When the watch was lost for
 * longer than a reconnect (the API server unreachable, or access revoked), a second informer lists anew and replaces
 * the first once it has synced: events missed during the outage cannot leave a stale instance behind.
 */
final class SliceWatch implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(KubernetesDiscoverySource.class);

	/** The label Kubernetes puts on every EndpointSlice it manages for a Service. */
	static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

	/** Watchdog ticks without a watch after which the watch counts as lost (a routine reconnect is quicker). */
	static final int LOST_AFTER_TICKS = 2;

	/**
	 * How long a watch may deliver nothing before it is replaced by a fresh list and watch. fabric8 can believe a
	 * watch is up while nothing arrives (a connection reset during the watch's opening handshake, a half-open
	 * connection); a quiet Service costs one list per period.
	 */
	static final Duration DEFAULT_MAX_SILENCE = Duration.ofMinutes(10);

	private final KubernetesClient client;

	private final String namespace;

	private final String service;

	private final ServiceCatalog catalog;

	private final WatchReporter reporter;

	private final boolean includeServiceLabels;

	/** The state of this watch for the actuator, health and metrics. */
	private final ConnectionTracker tracker;

	private final Object lock = new Object();

	private final Map<String, Bound> bindings = new LinkedHashMap<>();

	private final Set<Problem> reported = new HashSet<>();

	private @Nullable SharedIndexInformer<EndpointSlice> informer;

	private @Nullable SharedIndexInformer<EndpointSlice> replacement;

	private @Nullable SharedIndexInformer<Service> serviceInformer;

	private boolean synced;

	private int ticksWithoutWatch;

	private final long maxSilenceNanos;

	/** When the current informer last delivered a list or an event (guarded by lock). */
	private long lastActivityNanos = System.nanoTime();

	private boolean closed;

	private volatile @Nullable KubernetesAccessDeniedException accessProblem;

	SliceWatch(KubernetesClient client, String namespace, String service, ServiceCatalog catalog,
			WatchReporter reporter, boolean includeServiceLabels, ConnectionTracker tracker, Duration maxSilence) {
		this.tracker = tracker;
		this.maxSilenceNanos = maxSilence.toNanos();
		this.client = client;
		this.namespace = namespace;
		this.service = service;
		this.catalog = catalog;
		this.reporter = reporter;
		this.includeServiceLabels = includeServiceLabels;
	}

	/** Starts listing and watching; does not block. */
	void start() {
		SharedIndexInformer<EndpointSlice> slices = sliceInformer();
		synchronized (this.lock) {
			this.informer = slices;
		}
		CompletionStage<Void> ready = slices.start();
		if (this.includeServiceLabels) {
			SharedIndexInformer<Service> services = this.client.services()
				.inNamespace(this.namespace)
				.withName(this.service)
				.runnableInformer(0);
			prepare(services);
			synchronized (this.lock) {
				this.serviceInformer = services;
			}
			ready = ready.thenCombine(services.start(), (a, b) -> null);
		}
		ready.whenComplete((ignored, failure) -> {
			if (failure == null) {
				synced();
			}
		});
	}

	/**
	 * Makes a service id resolve to this Service, with its own port rule.
	 * @return completes when its first list is in the catalog; exceptionally if access is denied
	 */
	CompletableFuture<Void> bind(String serviceId, PortRule portRule, AddressFamily preferredFamily) {
		Bound bound = new Bound(new ServiceBinding(serviceId, this.namespace, this.service, portRule, preferredFamily),
				new CompletableFuture<>());
		synchronized (this.lock) {
			this.bindings.put(serviceId, bound);
			if (this.synced) {
				Set<Problem> problems = new LinkedHashSet<>(this.reported);
				publish(bound, currentSlices(), serviceLabels(), problems);
				report(problems);
				bound.firstLoad.complete(null);
			}
		}
		KubernetesAccessDeniedException problem = this.accessProblem;
		if (problem != null) {
			bound.firstLoad.completeExceptionally(problem);
		}
		return bound.firstLoad;
	}

	/**
	 * Called by the watchdog about once a second. A watch missing for {@link #LOST_AFTER_TICKS} ticks (longer than a
	 * routine reconnect), or silent for longer than the maximum silence, is replaced: a second informer lists anew, retrying until it succeeds, and takes over once it
	 * has synced. Its failures say why the watch was lost (unreachable, or access revoked: fabric8 retries a refused
	 * watch without telling anyone).
	 */
	void tick() {
		SharedIndexInformer<EndpointSlice> fresh;
		synchronized (this.lock) {
			if (this.closed || !this.synced || this.replacement != null) {
				return;
			}
			if (this.informer.isWatching()) {
				this.ticksWithoutWatch = 0;
				if (System.nanoTime() - this.lastActivityNanos < this.maxSilenceNanos) {
					return;
				}
			}
			else if (++this.ticksWithoutWatch < LOST_AFTER_TICKS) {
				return;
			}
			fresh = sliceInformer();
			this.replacement = fresh;
		}
		fresh.start().whenComplete((ignored, failure) -> {
			if (failure == null) {
				replaceWith(fresh);
			}
		});
	}

	/** The state for the health endpoint. */
	WatchStatus status() {
		synchronized (this.lock) {
			String state;
			if (this.accessProblem != null) {
				state = "access denied";
			}
			else if (!this.synced) {
				state = "listing";
			}
			else if (this.replacement != null || this.reporter.isUnreachable(this)) {
				state = "reconnecting (last list kept)";
			}
			else {
				state = "watching";
			}
			return new WatchStatus(this.namespace, this.service, List.copyOf(this.bindings.keySet()), state,
					this.synced ? currentSlices().size() : 0);
		}
	}

	/** @return whether no service id is bound any more */
	boolean unbind(String serviceId) {
		synchronized (this.lock) {
			this.bindings.remove(serviceId);
			return this.bindings.isEmpty();
		}
	}

	@Override
	public void close() {
		List<SharedIndexInformer<?>> informers = new ArrayList<>();
		synchronized (this.lock) {
			this.closed = true;
			informers.add(this.informer);
			informers.add(this.replacement);
			informers.add(this.serviceInformer);
		}
		for (SharedIndexInformer<?> each : informers) {
			if (each != null) {
				each.stop();
			}
		}
		this.reporter.forget(this);
		this.tracker.close();
	}

	@Override
	public String toString() {
		return this.namespace + "/" + this.service;
	}

	private SharedIndexInformer<EndpointSlice> sliceInformer() {
		SharedIndexInformer<EndpointSlice> slices = this.client.discovery()
			.v1()
			.endpointSlices()
			.inNamespace(this.namespace)
			.withLabel(SERVICE_NAME_LABEL, this.service)
			.runnableInformer(0);
		prepare(slices);
		return slices;
	}

	private <T> void prepare(SharedIndexInformer<T> informer) {
		// always retry: RBAC can be fixed and the API server can come back without restarting the application
		informer.exceptionHandler((started, failure) -> failed(informer, failure));
		informer.addEventHandler(new ResourceEventHandler<T>() {

			@Override
			public void onAdd(T resource) {
				changed(informer);
			}

			@Override
			public void onUpdate(T before, T after) {
				changed(informer);
			}

			@Override
			public void onDelete(T resource, boolean finalStateUnknown) {
				changed(informer);
			}

		});
	}

	private void synced() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.synced = true;
			this.lastActivityNanos = System.nanoTime();
			listed();
			publishAll();
		}
		accessGranted();
		this.reporter.reachable(this, "EndpointSlices of " + this + " listed");
	}

	private void changed(SharedIndexInformer<?> source) {
		long arrived = System.nanoTime();
		synchronized (this.lock) {
			// a replacement's first list is published once, when it is complete
			if (this.closed || !this.synced || (source != this.informer && source != this.serviceInformer)) {
				return;
			}
			this.lastActivityNanos = System.nanoTime();
			publishAll();
		}
		this.tracker.eventsApplied(1, position(source));
		this.tracker.propagated(System.nanoTime() - arrived);
	}

	/** A complete list is about to be published (under the lock, so readers see both together): current. */
	private void listed() {
		this.tracker.listed(position(this.informer));
		this.tracker.connected();
	}

	private static String position(@Nullable SharedIndexInformer<?> informer) {
		String version = (informer != null) ? informer.lastSyncResourceVersion() : null;
		return "resourceVersion " + ((version != null) ? version : "?");
	}

	private void replaceWith(SharedIndexInformer<EndpointSlice> fresh) {
		SharedIndexInformer<EndpointSlice> old;
		synchronized (this.lock) {
			if (this.closed || this.replacement != fresh) {
				old = fresh;
			}
			else {
				old = this.informer;
				this.informer = fresh;
				this.replacement = null;
				this.ticksWithoutWatch = 0;
				this.lastActivityNanos = System.nanoTime();
				listed();
				publishAll();
			}
		}
		old.stop();
		if (old != fresh) {
			accessGranted();
			this.reporter.reachable(this, "EndpointSlices listed anew");
		}
	}

	private boolean failed(SharedIndexInformer<?> source, Throwable failure) {
		if (isClosed()) {
			return false;
		}
		KubernetesClientException api = clientException(failure);
		int code = (api != null) ? api.getCode() : 0;
		if (code == 401 || code == 403) {
			KubernetesAccessDeniedException problem = accessDenied(source, api);
			this.accessProblem = problem;
			this.tracker.denied("DENIED: HTTP " + code);
			// recorded before the first loads fail: the startup check reads the record once they have
			this.reporter.denied(this, problem);
			List<Bound> bound;
			synchronized (this.lock) {
				bound = List.copyOf(this.bindings.values());
			}
			bound.forEach((each) -> each.firstLoad.completeExceptionally(problem));
		}
		else {
			String what = describe(failure, code);
			this.tracker.unreachable("UNREACHABLE: " + what);
			boolean listed;
			synchronized (this.lock) {
				listed = this.synced;
			}
			this.reporter.unreachable(this, listed ? "the watch of EndpointSlices of " + this + " was lost and"
					+ " listing them again failed (" + what + ")"
					: "listing EndpointSlices of " + this + " failed (" + what + "); " + String.join(", ",
							serviceIds()) + " will have instances once it succeeds");
		}
		return true;
	}

	private KubernetesAccessDeniedException accessDenied(SharedIndexInformer<?> source, KubernetesClientException api) {
		KubernetesRbac.Rule rule = (source == this.serviceInformer) ? KubernetesRbac.SERVICES
				: KubernetesRbac.ENDPOINT_SLICES;
		String message = (api.getStatus() != null && api.getStatus().getMessage() != null)
				? api.getStatus().getMessage() : "HTTP " + api.getCode();
		String user = KubernetesAccessDeniedException.userIn(message);
		if (user == null) {
			user = ServiceAccountToken.subject(this.client.getConfiguration());
		}
		return new KubernetesAccessDeniedException(api.getCode(), this.namespace, this.service, serviceIds(), rule,
				user, message);
	}

	private void accessGranted() {
		if (this.accessProblem != null) {
			this.accessProblem = null;
			this.reporter.granted(this);
		}
	}

	private boolean isClosed() {
		synchronized (this.lock) {
			return this.closed;
		}
	}

	private List<String> serviceIds() {
		synchronized (this.lock) {
			return List.copyOf(this.bindings.keySet());
		}
	}

	private void publishAll() {
		List<EndpointSlice> slices = currentSlices();
		Map<String, String> labels = serviceLabels();
		Set<Problem> problems = new LinkedHashSet<>();
		for (Bound bound : this.bindings.values()) {
			publish(bound, slices, labels, problems);
		}
		// a problem that went away is forgotten, so it is logged again if it comes back
		this.reported.retainAll(problems);
		report(problems);
		this.bindings.values().forEach((bound) -> bound.firstLoad.complete(null));
	}

	private void publish(Bound bound, List<EndpointSlice> slices, Map<String, String> labels, Set<Problem> problems) {
		Assembly assembly = bound.binding.assemble(slices, labels);
		this.catalog.update(bound.binding.serviceId(), assembly.instances(),
				"k8s " + this + ", " + assembly.slices() + ((assembly.slices() == 1) ? " slice" : " slices"));
		problems.addAll(assembly.problems());
	}

	private void report(Set<Problem> problems) {
		for (Problem problem : problems) {
			if (this.reported.add(problem)) {
				if (problem.error()) {
					logger.error(problem.message());
				}
				else {
					logger.warn(problem.message());
				}
			}
		}
	}

	private List<EndpointSlice> currentSlices() {
		return this.informer.getStore().list();
	}

	private Map<String, String> serviceLabels() {
		if (this.serviceInformer == null) {
			return Map.of();
		}
		List<Service> services = this.serviceInformer.getStore().list();
		if (services.isEmpty() || services.get(0).getMetadata().getLabels() == null) {
			return Map.of();
		}
		return services.get(0).getMetadata().getLabels();
	}

	private static @Nullable KubernetesClientException clientException(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof KubernetesClientException api && api.getCode() > 0) {
				return api;
			}
		}
		return null;
	}

	private static String describe(Throwable failure, int code) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
		if (code == 404) {
			text += "; discovery.k8s.io/v1 EndpointSlices need Kubernetes 1.21 or later";
		}
		return text;
	}

	private record Bound(ServiceBinding binding, CompletableFuture<Void> firstLoad) {

	}

	/**
	 * One watched Kubernetes Service, for the health endpoint.
	 *
	 * @param namespace the namespace
	 * @param service the Service
	 * @param serviceIds the service ids resolving to it
	 * @param state {@code listing}, {@code watching}, {@code reconnecting (last list kept)} or {@code access denied}
	 * @param slices how many EndpointSlices it has
	 */
	record WatchStatus(String namespace, String service, List<String> serviceIds, String state, int slices) {

	}

}

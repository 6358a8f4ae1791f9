package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties.AddressFamily;
import io.github.rpcdiscovery.status.ConnectionTracker;
import org.jspecify.annotations.Nullable;

/**
 * The EndpointSlices of one Kubernetes Service, kept by one fabric8 informer (list, then watch, selected by the
 * {@code kubernetes.io/service-name} label), and the service ids that resolve to that Service, each with its own port.
 * <p>
 * The catalog changes only when the informer's cache does: on errors nothing is published, so the last list stays
 * ("freeze"). The first list is published once it is complete, never slice by slice. When the watch was lost for
 * longer than a reconnect (the API server unreachable, or access revoked), a second informer lists anew and replaces
 * the first once it has synced: events missed during the outage cannot leave a stale instance behind.
 * <p>
 * This class keeps the informers' lifecycle; {@link ServiceInformers} creates them, {@link SliceBindings} publishes
 * what they hold for each service id, {@link WatchHealth} reports its state, {@link WatchLiveness} says when a watch
 * is lost, {@link InformerFailure} what a failure means.
 */
final class SliceWatch implements AutoCloseable {

	private final KubernetesClient client;

	private final String namespace;

	private final String service;

	private final ServiceInformers informers;

	private final boolean includeServiceLabels;

	/** The state of this watch for the actuator, health, metrics and log. */
	private final WatchHealth health;

	private final Object lock = new Object();

	/** The service ids resolving to this Service (guarded by lock). */
	private final SliceBindings bindings;

	private @Nullable SharedIndexInformer<EndpointSlice> informer;

	private @Nullable SharedIndexInformer<EndpointSlice> replacement;

	private @Nullable SharedIndexInformer<Service> serviceInformer;

	private boolean synced;

	/** Guarded by lock. */
	private final WatchLiveness liveness;

	private boolean closed;

	SliceWatch(KubernetesClient client, String namespace, String service, ServiceCatalog catalog,
			WatchReporter reporter, boolean includeServiceLabels, ConnectionTracker tracker, Duration maxSilence) {
		this.health = new WatchHealth(this, reporter, tracker);
		this.liveness = new WatchLiveness(maxSilence);
		this.client = client;
		this.namespace = namespace;
		this.service = service;
		this.bindings = new SliceBindings(catalog, namespace + "/" + service);
		this.informers = new ServiceInformers(client, namespace, service, this::changed, this::failed);
		this.includeServiceLabels = includeServiceLabels;
	}

	/** Starts listing and watching; does not block. */
	void start() {
		SharedIndexInformer<EndpointSlice> slices = this.informers.endpointSlices();
		synchronized (this.lock) {
			this.informer = slices;
		}
		CompletionStage<Void> ready = slices.start();
		if (this.includeServiceLabels) {
			SharedIndexInformer<Service> services = this.informers.service();
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
		ServiceBinding binding = new ServiceBinding(serviceId, this.namespace, this.service, portRule, preferredFamily);
		CompletableFuture<Void> firstLoad;
		synchronized (this.lock) {
			firstLoad = this.bindings.add(binding);
			if (this.synced) {
				this.bindings.publishOne(serviceId, currentSlices(), serviceLabels());
			}
		}
		KubernetesAccessDeniedException problem = this.health.accessProblem();
		if (problem != null) {
			firstLoad.completeExceptionally(problem);
		}
		return firstLoad;
	}

	/**
	 * Called by the watchdog about once a second. A watch missing for {@link WatchLiveness#LOST_AFTER_TICKS} ticks (longer than a
	 * routine reconnect), or silent for longer than the maximum silence, is replaced: a second informer lists anew,
	 * retrying until it succeeds, and takes over once it has synced. Its failures say why the watch was lost (unreachable, or access revoked: fabric8 retries a refused
	 * watch without telling anyone).
	 */
	void tick() {
		SharedIndexInformer<EndpointSlice> fresh;
		synchronized (this.lock) {
			if (this.closed || !this.synced || this.replacement != null) {
				return;
			}
			if (!this.liveness.isLost(this.informer.isWatching())) {
				return;
			}
			fresh = this.informers.endpointSlices();
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
			if (this.health.accessProblem() != null) {
				state = "access denied";
			}
			else if (!this.synced) {
				state = "listing";
			}
			else if (this.replacement != null || this.health.isUnreachable()) {
				state = "reconnecting (last list kept)";
			}
			else {
				state = "watching";
			}
			return new WatchStatus(this.namespace, this.service, this.bindings.serviceIds(), state,
					this.synced ? currentSlices().size() : 0);
		}
	}

	/** @return whether no service id is bound any more */
	boolean unbind(String serviceId) {
		synchronized (this.lock) {
			return this.bindings.remove(serviceId);
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
		this.health.close();
	}

	@Override
	public String toString() {
		return this.namespace + "/" + this.service;
	}

	private void synced() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.synced = true;
			this.liveness.active();
			// under the lock, so readers see the state and the list together
			this.health.listed(this.informer);
			publishAll();
		}
		this.health.reachable("EndpointSlices of " + this + " listed");
	}

	private void changed(SharedIndexInformer<?> source) {
		long arrived = System.nanoTime();
		synchronized (this.lock) {
			// a replacement's first list is published once, when it is complete
			if (this.closed || !this.synced || (source != this.informer && source != this.serviceInformer)) {
				return;
			}
			this.liveness.active();
			publishAll();
		}
		this.health.eventApplied(source, arrived);
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
				this.liveness.renewed();
				this.health.listed(this.informer);
				publishAll();
			}
		}
		old.stop();
		if (old != fresh) {
			this.health.reachable("EndpointSlices listed anew");
		}
	}

	/** @return whether the informer retries */
	private boolean failed(SharedIndexInformer<?> source, Throwable failure) {
		if (isClosed()) {
			return false;
		}
		int code = InformerFailure.httpStatus(failure);
		if (InformerFailure.isAccessRefused(code)) {
			KubernetesRbac.Rule rule = (source == this.serviceInformer) ? KubernetesRbac.SERVICES
					: KubernetesRbac.ENDPOINT_SLICES;
			KubernetesAccessDeniedException problem = InformerFailure.accessDenied(failure, rule, this.namespace,
					this.service, serviceIds(), this.client.getConfiguration());
			// recorded before the first loads fail: the startup check reads the record once they have
			this.health.denied(code, problem);
			List<CompletableFuture<Void>> firstLoads;
			synchronized (this.lock) {
				firstLoads = this.bindings.firstLoads();
			}
			firstLoads.forEach((each) -> each.completeExceptionally(problem));
		}
		else {
			String what = InformerFailure.describe(failure, code);
			boolean listed;
			synchronized (this.lock) {
				listed = this.synced;
			}
			this.health.unreachable(what, listed ? "the watch of EndpointSlices of " + this + " was lost and"
					+ " listing them again failed (" + what + ")"
					: "listing EndpointSlices of " + this + " failed (" + what + "); " + String.join(", ",
							serviceIds()) + " will have instances once it succeeds");
		}
		return true;
	}

	private boolean isClosed() {
		synchronized (this.lock) {
			return this.closed;
		}
	}

	private List<String> serviceIds() {
		synchronized (this.lock) {
			return this.bindings.serviceIds();
		}
	}

	private void publishAll() {
		this.bindings.publishAll(currentSlices(), serviceLabels());
	}

	private List<EndpointSlice> currentSlices() {
		return this.informer.getStore().list();
	}

	private Map<String, String> serviceLabels() {
		return ServiceInformers.labels(this.serviceInformer);
	}

}

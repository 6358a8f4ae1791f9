package io.github.rpcdiscovery.kubernetes;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.kubernetes.ServiceBinding.Assembly;
import io.github.rpcdiscovery.kubernetes.ServiceBinding.Problem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The service ids that resolve to one Kubernetes Service, and what they were last given: publishes the Service's
 * slices to the catalog for each of them, completes their first loads, and logs each problem with the slices once
 * (again only after it went away and came back).
 * <p>
 * Not thread-safe: its {@link SliceWatch} calls it under its lock, so a list is published for all ids at once.
 */
final class SliceBindings {

	private static final Log logger = LogFactory.getLog(KubernetesDiscoverySource.class);

	private final ServiceCatalog catalog;

	/** {@code namespace/service}, for the catalog's change log. */
	private final String watched;

	private final Map<String, Bound> bindings = new LinkedHashMap<>();

	private final Set<Problem> reported = new HashSet<>();

	SliceBindings(ServiceCatalog catalog, String watched) {
		this.catalog = catalog;
		this.watched = watched;
	}

	/** Adds a service id; its first load completes once a list is published for it. */
	CompletableFuture<Void> add(ServiceBinding binding) {
		Bound bound = new Bound(binding, new CompletableFuture<>());
		this.bindings.put(binding.serviceId(), bound);
		return bound.firstLoad;
	}

	/** Publishes the current list for one service id only (bound after the first list); completes its first load. */
	void publishOne(String serviceId, List<EndpointSlice> slices, Map<String, String> labels) {
		Bound bound = this.bindings.get(serviceId);
		Set<Problem> problems = new LinkedHashSet<>(this.reported);
		publish(bound, slices, labels, problems);
		report(problems);
		bound.firstLoad.complete(null);
	}

	/** Publishes the current list for every service id; completes their first loads. */
	void publishAll(List<EndpointSlice> slices, Map<String, String> labels) {
		Set<Problem> problems = new LinkedHashSet<>();
		for (Bound bound : this.bindings.values()) {
			publish(bound, slices, labels, problems);
		}
		// a problem that went away is forgotten, so it is logged again if it comes back
		this.reported.retainAll(problems);
		report(problems);
		this.bindings.values().forEach((bound) -> bound.firstLoad.complete(null));
	}

	/** @return the first loads of every service id, to fail them */
	List<CompletableFuture<Void>> firstLoads() {
		return this.bindings.values().stream().map(Bound::firstLoad).toList();
	}

	/** @return whether no service id is bound any more */
	boolean remove(String serviceId) {
		this.bindings.remove(serviceId);
		return this.bindings.isEmpty();
	}

	List<String> serviceIds() {
		return List.copyOf(this.bindings.keySet());
	}

	private void publish(Bound bound, List<EndpointSlice> slices, Map<String, String> labels, Set<Problem> problems) {
		Assembly assembly = bound.binding.assemble(slices, labels);
		this.catalog.update(bound.binding.serviceId(), assembly.instances(), "k8s " + this.watched + ", "
				+ assembly.slices() + ((assembly.slices() == 1) ? " slice" : " slices"));
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

	private record Bound(ServiceBinding binding, CompletableFuture<Void> firstLoad) {

	}

}

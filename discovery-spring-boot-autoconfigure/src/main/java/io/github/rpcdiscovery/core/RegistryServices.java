package io.github.rpcdiscovery.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.RpcTarget;
import io.github.rpcdiscovery.target.Upstream;
import org.jspecify.annotations.Nullable;

/**
 * Every service id that resolves here and that a registry holds now: what Spring Cloud's
 * {@code DiscoveryClient.getServices()} returns. Made of
 * <ul>
 * <li>the configured static ({@code direct}) clients, always;</li>
 * <li>each configured etcd or Kubernetes client whose key or Service its registry holds now;</li>
 * <li>when unlisted ids resolve ({@code rpc.discovery.unlisted} other than {@code none}), every key of the default
 * etcd cluster, or every Service of the default namespace, that no client block claims;</li>
 * <li>the ids looked up that have instances: the whole answer for a registry that cannot be enumerated (etcd
 * permissions, Kubernetes RBAC without {@code services}).</li>
 * </ul>
 * Keys of a cluster other than the default one that no client names are not listed: no id would resolve to them.
 * <p>
 * Costs nothing until the first call: that starts one enumeration per registry place (etcd cluster, namespace); they
 * stay for the application's life.
 */
final class RegistryServices {

	private final ServiceCatalog catalog;

	private final DiscoveryPlan plan;

	private final Map<String, DiscoverySource> sources;

	private final boolean unlistedResolve;

	private volatile @Nullable List<Place> places;

	RegistryServices(ServiceCatalog catalog, DiscoveryPlan plan, Map<String, DiscoverySource> sources,
			boolean unlistedResolve) {
		this.catalog = catalog;
		this.plan = plan;
		this.sources = sources;
		this.unlistedResolve = unlistedResolve;
	}

	/** The ids now; the first call starts the enumerations and returns before they listed anything. */
	Set<String> serviceIds() {
		Set<String> ids = new LinkedHashSet<>();
		Set<String> unclaimed = new TreeSet<>();
		for (Place place : places()) {
			Set<String> names = (place.enumeration() != null) ? place.enumeration().names() : null;
			if (place.upstream() == null) {
				if (names != null) {
					names.stream().filter((name) -> !this.plan.isConfigured(name)).forEach(unclaimed::add);
				}
			}
			else if (place.upstream().target() instanceof DirectTarget
					|| (names != null && names.contains(nameIn(place.upstream().target())))) {
				ids.add(place.upstream().serviceId());
			}
		}
		ids.addAll(unclaimed);
		ids.addAll(new TreeSet<>(this.catalog.serviceIds()));
		return Collections.unmodifiableSet(ids);
	}

	/**
	 * Completes when every enumeration listed once (or failed to), or after the timeout; never exceptionally. Starts
	 * them on the first call.
	 */
	CompletableFuture<Void> firstListings(Duration timeout) {
		List<CompletableFuture<Void>> listings = new ArrayList<>();
		for (Place place : places()) {
			if (place.enumeration() != null) {
				listings.add(place.enumeration().firstListing());
			}
		}
		return CompletableFuture.allOf(listings.toArray(CompletableFuture[]::new))
			.copy()
			.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
			.exceptionally((failure) -> null);
	}

	private List<Place> places() {
		List<Place> current = this.places;
		if (current == null) {
			synchronized (this) {
				current = this.places;
				if (current == null) {
					current = enumerateAll();
					this.places = current;
				}
			}
		}
		return current;
	}

	private List<Place> enumerateAll() {
		List<Place> all = new ArrayList<>();
		for (Upstream upstream : this.plan.configured()) {
			all.add(new Place(upstream, enumeration(upstream.target())));
		}
		if (this.unlistedResolve) {
			RpcTarget defaultPlace = null;
			if (this.plan.defaultEtcd() != null) {
				defaultPlace = new EtcdTarget(this.plan.defaultEtcd(), "");
			}
			else if (this.plan.kubernetesNamespace() != null) {
				defaultPlace = new KubernetesTarget(this.plan.kubernetesNamespace(), "", null);
			}
			if (defaultPlace != null) {
				all.add(new Place(null, enumeration(defaultPlace)));
			}
		}
		return List.copyOf(all);
	}

	private @Nullable ServiceEnumeration enumeration(RpcTarget target) {
		DiscoverySource source = this.sources.get(target.source());
		return (source != null) ? source.enumerate(target) : null;
	}

	/** The name a registry lists this target by: its etcd key, its Service. */
	private static String nameIn(RpcTarget target) {
		if (target instanceof EtcdTarget etcd) {
			return etcd.key();
		}
		return (target instanceof KubernetesTarget kubernetes) ? kubernetes.service() : "";
	}

	/**
	 * A registry place to enumerate.
	 * @param upstream the configured client it is enumerated for, or {@code null} for the default place
	 * @param enumeration its enumeration, or {@code null} if its source cannot enumerate
	 */
	private record Place(@Nullable Upstream upstream, @Nullable ServiceEnumeration enumeration) {

	}

}

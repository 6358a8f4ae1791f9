package io.github.rpcdiscovery.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory truth of discovery: per service id, an immutable {@link InstanceSnapshot}. Sources (static endpoints,
 * etcd, Kubernetes) write to it; the discovery clients and load balancers read from it and never touch the network.
 * <p>
 * A source only ever replaces a service's list with a list it has fully loaded or with the result of applying events;
 * on errors it simply stops writing, which is what keeps the last known list ("freeze") while a registry is down.
 */
public final class ServiceCatalog {

	private static final Log logger = LogFactory.getLog(ServiceCatalog.class);

	private static final Comparator<DiscoveredInstance> BY_INSTANCE_ID = Comparator
		.comparing(DiscoveredInstance::getInstanceId);

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final AtomicLong version = new AtomicLong();

	private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();

	/** The current snapshot of a service, or {@code null} if nothing was ever loaded for it. */
	public @Nullable InstanceSnapshot snapshot(String serviceId) {
		Entry entry = this.entries.get(serviceId);
		return (entry != null) ? entry.snapshot : null;
	}

	/** The current instances of a service; empty if unknown. Allocates nothing. */
	public List<DiscoveredInstance> instances(String serviceId) {
		InstanceSnapshot snapshot = snapshot(serviceId);
		return (snapshot != null) ? snapshot.instances() : List.of();
	}

	/**
	 * Service ids the registry holds instances of now: loaded with at least one instance. An id looked up but
	 * absent (loaded empty, every instance gone, or removed) is not listed.
	 */
	public Set<String> serviceIds() {
		Set<String> ids = new HashSet<>();
		this.entries.forEach((id, entry) -> {
			InstanceSnapshot snapshot = entry.snapshot;
			if (snapshot != null && !snapshot.isEmpty()) {
				ids.add(id);
			}
		});
		return Set.copyOf(ids);
	}

	/** Grows with every change of any service: the state of Spring Cloud's {@code HeartbeatEvent}. */
	public long version() {
		return this.version.get();
	}

	public void addListener(CatalogListener listener) {
		this.listeners.add(listener);
	}

	public void removeListener(CatalogListener listener) {
		this.listeners.remove(listener);
	}

	/** Listens to one service only; cheaper than filtering when there are many services. */
	public void addListener(String serviceId, CatalogListener listener) {
		while (true) {
			Entry entry = entry(serviceId);
			synchronized (entry) {
				if (!entry.retired) {
					entry.listeners.add(listener);
					return;
				}
			}
		}
	}

	/** Stops listening; the service's entry goes when it has neither instances loaded nor listeners. */
	public void removeListener(String serviceId, CatalogListener listener) {
		Entry entry = this.entries.get(serviceId);
		if (entry == null) {
			return;
		}
		synchronized (entry) {
			entry.listeners.remove(listener);
			retireIfUnused(serviceId, entry);
		}
	}

	/**
	 * Replaces the instances of a service. Does nothing (and tells nobody) when the list is equal to the current one,
	 * except that the first update of a service always creates its snapshot, even when empty ("loaded, no
	 * instances" differs from "not loaded").
	 * @param serviceId the service
	 * @param instances the complete new list; duplicates by instance id keep the first
	 * @param origin what produced the list, for logs
	 * @return the change, or {@code null} if nothing changed
	 */
	public @Nullable CatalogChange update(String serviceId, Collection<DiscoveredInstance> instances, String origin) {
		while (true) {
			Entry entry = entry(serviceId);
			synchronized (entry) {
				if (entry.retired) {
					// dropped a moment ago by its last listener leaving: write to the entry that replaces it
					continue;
				}
				CatalogChange change = diff(entry.snapshot, serviceId, instances, origin);
				if (change == null) {
					return null;
				}
				entry.snapshot = change.current();
				// notify inside the lock: listeners see each service's changes in version order
				notifyListeners(entry, change);
				return change;
			}
		}
	}

	/**
	 * Forgets a service's instances (its watch was closed). Listeners of that service stay registered, so a load
	 * balancer that still holds the service hears of its next load.
	 */
	public void remove(String serviceId) {
		Entry entry = this.entries.get(serviceId);
		if (entry == null) {
			return;
		}
		synchronized (entry) {
			if (entry.snapshot == null) {
				return;
			}
			entry.snapshot = null;
			retireIfUnused(serviceId, entry);
		}
		for (CatalogListener listener : this.listeners) {
			try {
				listener.onRemoved(serviceId);
			}
			catch (RuntimeException ex) {
				logger.warn("Catalog listener " + listener + " failed on the removal of " + serviceId, ex);
			}
		}
	}

	/**
	 * A registry's set of services changed ({@link ServiceEnumeration}): the version grows, so a Spring Cloud
	 * {@code HeartbeatEvent} carries a new state, and the listeners are told.
	 */
	public void servicesChanged() {
		this.version.incrementAndGet();
		for (CatalogListener listener : this.listeners) {
			try {
				listener.onServicesChanged();
			}
			catch (RuntimeException ex) {
				logger.warn("Catalog listener " + listener + " failed on a change of the set of services", ex);
			}
		}
	}

	/** How many ids the catalog holds anything for (a snapshot or a listener). */
	int entryCount() {
		return this.entries.size();
	}

	private Entry entry(String serviceId) {
		return this.entries.computeIfAbsent(serviceId, (id) -> new Entry());
	}

	/**
	 * Drops an entry with neither a snapshot nor listeners, so the catalog holds only ids someone loaded or listens
	 * to. Called holding the entry's lock; whoever finds the entry retired afterwards makes a new one.
	 */
	private void retireIfUnused(String serviceId, Entry entry) {
		if (entry.snapshot == null && entry.listeners.isEmpty()) {
			entry.retired = true;
			this.entries.remove(serviceId, entry);
		}
	}

	private @Nullable CatalogChange diff(@Nullable InstanceSnapshot previous, String serviceId,
			Collection<DiscoveredInstance> instances, String origin) {
		Map<String, DiscoveredInstance> next = new LinkedHashMap<>();
		for (DiscoveredInstance instance : instances) {
			next.putIfAbsent(instance.getInstanceId(), instance);
		}
		Map<String, DiscoveredInstance> before = new LinkedHashMap<>();
		if (previous != null) {
			for (DiscoveredInstance instance : previous.instances()) {
				before.put(instance.getInstanceId(), instance);
			}
		}
		List<DiscoveredInstance> added = new ArrayList<>();
		List<DiscoveredInstance> updated = new ArrayList<>();
		for (Map.Entry<String, DiscoveredInstance> entry : next.entrySet()) {
			DiscoveredInstance instance = entry.getValue();
			DiscoveredInstance old = before.get(entry.getKey());
			if (old == null) {
				added.add(instance);
			}
			else if (old.equals(instance)) {
				// sources build new objects on every change: keep the old one, so views made from it stay valid
				entry.setValue(old);
			}
			else {
				updated.add(instance);
			}
		}
		List<DiscoveredInstance> removed = new ArrayList<>();
		for (DiscoveredInstance instance : before.values()) {
			if (!next.containsKey(instance.getInstanceId())) {
				removed.add(instance);
			}
		}
		if (previous != null && added.isEmpty() && removed.isEmpty() && updated.isEmpty()) {
			return null;
		}
		List<DiscoveredInstance> sorted = new ArrayList<>(next.values());
		sorted.sort(BY_INSTANCE_ID);
		InstanceSnapshot current = new InstanceSnapshot(serviceId, sorted, this.version.incrementAndGet(), origin,
				System.currentTimeMillis());
		return new CatalogChange(previous, current, List.copyOf(added), List.copyOf(removed), List.copyOf(updated));
	}

	private void notifyListeners(Entry entry, CatalogChange change) {
		for (CatalogListener listener : entry.listeners) {
			notifyListener(listener, change);
		}
		for (CatalogListener listener : this.listeners) {
			notifyListener(listener, change);
		}
	}

	private static void notifyListener(CatalogListener listener, CatalogChange change) {
		try {
			listener.onChange(change);
		}
		catch (RuntimeException ex) {
			// a broken listener must not stop a registry callback thread or the other listeners
			logger.warn("Catalog listener " + listener + " failed on a change of " + change.serviceId(), ex);
		}
	}

	private static final class Entry {

		volatile @Nullable InstanceSnapshot snapshot;

		final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();

		/** Removed from the map; guarded by the entry's lock. */
		boolean retired;

	}

}

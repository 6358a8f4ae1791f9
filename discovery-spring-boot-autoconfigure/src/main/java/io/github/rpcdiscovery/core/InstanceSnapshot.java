package io.github.rpcdiscovery.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The instances of one service at one moment. Immutable: readers get the same list object until the next change, so
 * a read costs a map lookup and allocates nothing. A layer above keeps what it derives from the snapshot with it
 * ({@link #derived}), so its reads allocate nothing either.
 */
public final class InstanceSnapshot {

	private final String serviceId;

	private final List<DiscoveredInstance> instances;

	private final long version;

	private final String origin;

	private final long updatedAtMillis;

	/** What a layer above made of this snapshot, kept with it (racy but benign: at worst made twice). */
	private volatile @Nullable Object derived;

	/**
	 * @param serviceId the service id
	 * @param instances the instances, sorted by instance id
	 * @param version the catalog version of this snapshot; it grows with every change of any service
	 * @param origin what produced this snapshot, for logs and the actuator (e.g. {@code etcd rev 42})
	 * @param updatedAtMillis wall-clock time of the change
	 */
	public InstanceSnapshot(String serviceId, List<DiscoveredInstance> instances, long version, String origin,
			long updatedAtMillis) {
		this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
		this.instances = List.copyOf(instances);
		this.version = version;
		this.origin = Objects.requireNonNull(origin, "origin");
		this.updatedAtMillis = updatedAtMillis;
	}

	public String serviceId() {
		return this.serviceId;
	}

	/** The instances, sorted by instance id, unmodifiable; the same list object for every reader. */
	public List<DiscoveredInstance> instances() {
		return this.instances;
	}

	public long version() {
		return this.version;
	}

	public String origin() {
		return this.origin;
	}

	public long updatedAtMillis() {
		return this.updatedAtMillis;
	}

	public boolean isEmpty() {
		return this.instances.isEmpty();
	}

	/**
	 * What a layer above makes of this snapshot (Spring Cloud's list of it), made on first use and kept with the
	 * snapshot, so that reading it again allocates nothing. Core never looks inside. One value is kept, found by its
	 * type: a layer keeps its own type here.
	 */
	public <T> T derived(Class<T> type, Function<? super InstanceSnapshot, ? extends T> derivation) {
		Object current = this.derived;
		if (type.isInstance(current)) {
			return type.cast(current);
		}
		T made = derivation.apply(this);
		this.derived = made;
		return made;
	}

	@Override
	public String toString() {
		return "InstanceSnapshot[serviceId=" + this.serviceId + ", instances=" + this.instances + ", version="
				+ this.version + ", origin=" + this.origin + "]";
	}

}

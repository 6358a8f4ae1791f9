package io.github.rpcdiscovery.core;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.github.rpcdiscovery.target.HostAndPort;
import org.jspecify.annotations.Nullable;

/**
 * One instance of a service as a discovery source saw it. Immutable, so snapshots can hand out the same objects to
 * every reader without copying. Not a Spring Cloud type: the Spring Cloud adapters wrap it, once per instance (see
 * {@link #derived}).
 * <p>
 * The instance id is stable across lease re-grants and pod restarts with the same address ({@code host:port} unless
 * the source knows better), so sticky, same-instance and subset balancing keep working.
 */
public final class DiscoveredInstance {

	/** Metadata key naming the source an instance came from: {@code direct}, {@code etcd} or {@code kubernetes}. */
	public static final String SOURCE_METADATA_KEY = "rpc.source";

	private final String serviceId;

	private final String instanceId;

	private final HostAndPort address;

	private final boolean secure;

	private final Map<String, String> metadata;

	private final String source;

	/** Built on first use and kept: it is most of an instance's heap, and many instances are never called. */
	private volatile @Nullable URI uri;

	/** What a layer above made of this instance, kept with it (racy but benign: at worst made twice). */
	private volatile @Nullable Object derived;

	public DiscoveredInstance(String serviceId, HostAndPort address, String source, Map<String, String> metadata) {
		this(serviceId, address.toString(), address, source, metadata);
	}

	public DiscoveredInstance(String serviceId, String instanceId, HostAndPort address, String source,
			Map<String, String> metadata) {
		this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
		this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
		this.address = Objects.requireNonNull(address, "address");
		this.source = Objects.requireNonNull(source, "source");
		this.metadata = withSource(metadata, source);
		this.secure = "https".equalsIgnoreCase(this.metadata.get("scheme"))
				|| "true".equalsIgnoreCase(this.metadata.get("secure"));
	}

	/** The metadata plus {@code rpc.source}, as compact as it can be: most instances have no other metadata. */
	private static Map<String, String> withSource(Map<String, String> metadata, String source) {
		if (metadata.isEmpty() || (metadata.size() == 1 && metadata.containsKey(SOURCE_METADATA_KEY))) {
			return Collections.singletonMap(SOURCE_METADATA_KEY, source);
		}
		Map<String, String> copy = new LinkedHashMap<>((int) ((metadata.size() + 1) / 0.75f) + 1);
		copy.putAll(metadata);
		copy.put(SOURCE_METADATA_KEY, source);
		return Collections.unmodifiableMap(copy);
	}

	public String getServiceId() {
		return this.serviceId;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

	public String getHost() {
		return this.address.host();
	}

	public int getPort() {
		return this.address.port();
	}

	public boolean isSecure() {
		return this.secure;
	}

	public URI getUri() {
		URI current = this.uri;
		if (current == null) {
			current = URI.create((this.secure ? "https" : "http") + "://" + this.address);
			this.uri = current;
		}
		return current;
	}

	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	public String getScheme() {
		return this.secure ? "https" : "http";
	}

	public HostAndPort getAddress() {
		return this.address;
	}

	/** The source this instance came from: {@code direct}, {@code etcd} or {@code kubernetes}. */
	public String getSource() {
		return this.source;
	}

	/**
	 * What a layer above makes of this instance (Spring Cloud's {@code ServiceInstance} view of it), made on first use
	 * and kept with the instance, so that it is made once per instance rather than once per read. Core never looks
	 * inside. One value is kept, found by its type: a layer keeps its own type here.
	 */
	public <T> T derived(Class<T> type, Function<? super DiscoveredInstance, ? extends T> derivation) {
		Object current = this.derived;
		if (type.isInstance(current)) {
			return type.cast(current);
		}
		T made = derivation.apply(this);
		this.derived = made;
		return made;
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof DiscoveredInstance that)) {
			return false;
		}
		return this.serviceId.equals(that.serviceId) && this.instanceId.equals(that.instanceId)
				&& this.address.equals(that.address) && this.source.equals(that.source)
				&& this.metadata.equals(that.metadata);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.serviceId, this.instanceId, this.address, this.source, this.metadata);
	}

	@Override
	public String toString() {
		return this.serviceId + "@" + this.address + " (" + this.source + ")";
	}

}

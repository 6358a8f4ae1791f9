package io.github.rpcdiscovery.core;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.rpcdiscovery.target.HostAndPort;

import org.springframework.cloud.client.ServiceInstance;

/**
 * One instance of a service as a discovery source saw it. Immutable, so snapshots can hand out the same objects to
 * every reader without copying.
 * <p>
 * The instance id is stable across lease re-grants and pod restarts with the same address ({@code host:port} unless
 * the source knows better), so sticky, same-instance and subset balancing keep working.
 */
public final class DiscoveredInstance implements ServiceInstance {

	/** Metadata key naming the source an instance came from: {@code direct}, {@code etcd} or {@code kubernetes}. */
	public static final String SOURCE_METADATA_KEY = "rpc.source";

	private final String serviceId;

	private final String instanceId;

	private final HostAndPort address;

	private final boolean secure;

	private final Map<String, String> metadata;

	private final String source;

	private final URI uri;

	public DiscoveredInstance(String serviceId, HostAndPort address, String source, Map<String, String> metadata) {
		this(serviceId, address.toString(), address, source, metadata);
	}

	public DiscoveredInstance(String serviceId, String instanceId, HostAndPort address, String source,
			Map<String, String> metadata) {
		this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
		this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
		this.address = Objects.requireNonNull(address, "address");
		this.source = Objects.requireNonNull(source, "source");
		Map<String, String> copy = new LinkedHashMap<>(metadata);
		copy.put(SOURCE_METADATA_KEY, source);
		this.metadata = Collections.unmodifiableMap(copy);
		this.secure = "https".equalsIgnoreCase(copy.get("scheme")) || "true".equalsIgnoreCase(copy.get("secure"));
		this.uri = URI.create((this.secure ? "https" : "http") + "://" + address);
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	@Override
	public String getInstanceId() {
		return this.instanceId;
	}

	@Override
	public String getHost() {
		return this.address.host();
	}

	@Override
	public int getPort() {
		return this.address.port();
	}

	@Override
	public boolean isSecure() {
		return this.secure;
	}

	@Override
	public URI getUri() {
		return this.uri;
	}

	@Override
	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	@Override
	public String getScheme() {
		return this.uri.getScheme();
	}

	public HostAndPort getAddress() {
		return this.address;
	}

	/** The source this instance came from: {@code direct}, {@code etcd} or {@code kubernetes}. */
	public String getSource() {
		return this.source;
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

package io.github.rpcdiscovery.etcd.registration;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import io.github.rpcdiscovery.etcd.InstanceMetadataCodec;
import io.github.rpcdiscovery.target.HostAndPort;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * One instance to register in etcd, in go-zero's wire format: the key {@code <key>/<suffix>} (suffix: the fixed id if
 * greater than 0, else the lease id as a signed decimal) holds the bare {@code host:port}; the metadata lives beside
 * it under {@code _rpc-meta/<key>/<suffix>}, on the same lease.
 * <p>
 * The address is a parameter of the registration, not of the web server: the automatic registration binds it once the
 * application is ready ({@link #bindAddress}); other registrations (a gRPC port, say) pass it to the constructor.
 * Listeners of {@code InstancePreRegisteredEvent} may still add metadata; it is read when the registration is
 * registered.
 */
public final class EtcdRegistration implements Registration {

	/** Where metadata lives: outside every {@code <key>/} prefix, so go-zero readers never see it. */

	private final @Nullable String key;

	private final long fixedId;

	private final Duration ttl;

	private final Map<String, String> metadata;

	private final AtomicReference<@Nullable HostAndPort> address = new AtomicReference<>();

	/**
	 * @param key the service key (go-zero's Etcd.Key), which is also the service id; {@code null} when neither
	 * rpc.etcd.key nor spring.application.name is set (registering it is then an error)
	 * @param fixedId a fixed key suffix when greater than 0 (go-zero's Etcd.ID), else 0
	 * @param ttl the lease TTL
	 * @param metadata the metadata to write beside the value ({@code scheme}, {@code zone}, {@code weight}...)
	 * @param address the address to register, or {@code null} to {@link #bindAddress bind it} later
	 */
	public EtcdRegistration(@Nullable String key, long fixedId, Duration ttl, Map<String, String> metadata,
			@Nullable HostAndPort address) {
		this.key = key;
		this.fixedId = fixedId;
		this.ttl = Objects.requireNonNull(ttl, "ttl");
		this.metadata = new LinkedHashMap<>(metadata);
		this.address.set(address);
	}

	/**
	 * Sets the address, once; the automatic registration calls it when the application is ready.
	 * @throws IllegalStateException if a different address is already bound
	 */
	public void bindAddress(HostAndPort address) {
		if (!this.address.compareAndSet(null, address) && !address.equals(this.address.get())) {
			throw new IllegalStateException(this + " already has address " + this.address.get());
		}
	}

	/** The address, or {@code null} before it is bound. */
	public @Nullable HostAndPort address() {
		return this.address.get();
	}

	/** The service key; {@code null} when none is configured. */
	public @Nullable String key() {
		return this.key;
	}

	public long fixedId() {
		return this.fixedId;
	}

	public Duration ttl() {
		return this.ttl;
	}

	/** The instance key for a lease: {@code <key>/<fixed id or signed decimal lease id>}, as go-zero makes it. */
	String keyFor(long leaseId) {
		return requireKey() + "/" + suffix(leaseId);
	}

	/** The metadata key for a lease: {@code _rpc-meta/<key>/<suffix>}. */
	String metadataKeyFor(long leaseId) {
		return InstanceMetadataCodec.metadataKey(requireKey(), suffix(leaseId));
	}

	/** The value go-zero clients read: the bare {@code host:port}, IPv6 bracketed. */
	String value() {
		return requireAddress().toString();
	}

	/**
	 * The metadata value: {@code application/x-www-form-urlencoded}, the address first, then the entries in order,
	 * e.g. {@code address=127.0.0.1%3A8080&scheme=http&zone=z1}.
	 */
	String metadataValue() {
		return InstanceMetadataCodec.encode(value(), this.metadata);
	}

	private String suffix(long leaseId) {
		return Long.toString((this.fixedId > 0) ? this.fixedId : leaseId);
	}

	String requireKey() {
		if (this.key == null || this.key.isBlank()) {
			throw new IllegalStateException("this registration has no key");
		}
		return this.key;
	}

	private HostAndPort requireAddress() {
		HostAndPort bound = this.address.get();
		if (bound == null) {
			throw new IllegalStateException("the address of " + this.key + " is not known yet: it is resolved when the"
					+ " application is ready");
		}
		return bound;
	}

	@Override
	public @Nullable String getServiceId() {
		return this.key;
	}

	/** {@code host:port}: stable across lease re-grants, as discovery reports it. */
	@Override
	public @Nullable String getInstanceId() {
		HostAndPort bound = this.address.get();
		return (bound != null) ? bound.toString() : null;
	}

	@Override
	public String getHost() {
		return requireAddress().host();
	}

	@Override
	public int getPort() {
		return requireAddress().port();
	}

	@Override
	public boolean isSecure() {
		return "https".equalsIgnoreCase(this.metadata.get("scheme"));
	}

	@Override
	public URI getUri() {
		return URI.create(getScheme() + "://" + requireAddress());
	}

	@Override
	public String getScheme() {
		return isSecure() ? "https" : "http";
	}

	/** The metadata to register; mutable until registered. */
	@Override
	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	@Override
	public String toString() {
		return "EtcdRegistration[" + this.key + " -> " + this.address.get() + "]";
	}

}

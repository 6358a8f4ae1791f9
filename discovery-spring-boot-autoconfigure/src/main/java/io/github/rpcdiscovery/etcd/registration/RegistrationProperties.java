package io.github.rpcdiscovery.etcd.registration;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.etcd.InstanceMetadataCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this application registers itself in etcd. Where it registers is go-zero's {@code rpc.etcd} block (hosts, key,
 * id, ttl, account, TLS) and which address is {@code rpc.listen-on}; this block only adds what go-zero has no setting
 * for.
 *
 * @param enabled Whether this application registers itself in etcd when rpc.etcd.hosts is set. Turn it off for a
 * pure consumer that only discovers.
 * @param failFast Whether a first registration that fails at startup (etcd unreachable, wrong password, TLS refused)
 * stops the application. When false, the failure is logged once and the registration is retried in the background
 * until it succeeds.
 * @param zone The zone written into the registration metadata, read by Spring Cloud LoadBalancer's zone preference.
 * Defaults to spring.cloud.loadbalancer.zone.
 * @param weight The weight written into the registration metadata: callers' P2C (HTTP and gRPC p2c_ewma) gives
 * this instance a share proportional to it among instances of equal load; Spring Cloud LoadBalancer's weighted
 * supplier reads it too. Must be positive; an instance without one counts as 1.
 * @param version The version written into the registration metadata.
 * @param scheme The scheme (http or https) callers should use; written into the registration metadata. Defaults to
 * https when server.ssl.enabled is true, else http.
 * @param metadata Any other metadata entries, written beside the go-zero value under _rpc-meta/{key}/{suffix}
 * (never in the value, which stays the bare host:port go-zero clients read).
 */
@ConfigurationProperties("rpc.registration")
public record RegistrationProperties(@DefaultValue("true") boolean enabled, @DefaultValue("false") boolean failFast,
		@Nullable String zone, @Nullable Integer weight, @Nullable String version, @Nullable String scheme,
		@DefaultValue Map<String, String> metadata) {

	/** The metadata field that names the instance; reserved. */
	static final String ADDRESS = InstanceMetadataCodec.ADDRESS;

	public RegistrationProperties {
		metadata = (metadata != null) ? Map.copyOf(metadata) : Map.of();
	}

	public static RegistrationProperties defaults() {
		return new RegistrationProperties(true, false, null, null, null, null, Map.of());
	}

	/**
	 * The metadata to register, in a stable order: scheme, zone, weight, version, then the free-form entries sorted by
	 * name. A named setting wins over a free-form entry of the same name; the defaults only fill what neither sets.
	 * @param defaultZone the zone when none is set here, or {@code null}
	 * @param defaultScheme the scheme when none is set here
	 * @throws InvalidRpcPropertyException if an entry cannot be registered
	 */
	public Map<String, String> registeredMetadata(@Nullable String defaultZone, String defaultScheme) {
		validate();
		Map<String, String> entries = new LinkedHashMap<>();
		entries.put("scheme", firstSet(this.scheme, this.metadata.get("scheme"), defaultScheme));
		String zoneToWrite = firstSet(this.zone, this.metadata.get("zone"), defaultZone);
		if (zoneToWrite != null) {
			entries.put("zone", zoneToWrite);
		}
		String weightToWrite = firstSet((this.weight != null) ? this.weight.toString() : null, this.metadata.get("weight"),
				null);
		if (weightToWrite != null) {
			entries.put("weight", weightToWrite);
		}
		String versionToWrite = firstSet(this.version, this.metadata.get("version"), null);
		if (versionToWrite != null) {
			entries.put("version", versionToWrite);
		}
		this.metadata.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((entry) -> entries.putIfAbsent(entry.getKey(), entry.getValue()));
		return entries;
	}

	private void validate() {
		if (this.weight != null && this.weight < 1) {
			throw new InvalidRpcPropertyException("rpc.registration.weight", this.weight, "a weight must be positive",
					"set a weight of 1 or more (Spring Cloud LoadBalancer's default weight is 1)");
		}
		String scheme = (this.scheme != null) ? this.scheme.strip() : "http";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new InvalidRpcPropertyException("rpc.registration.scheme", this.scheme, "only http and https are known",
					"set rpc.registration.scheme to http or https, or remove it");
		}
		for (Map.Entry<String, String> entry : this.metadata.entrySet()) {
			if (entry.getKey().isBlank() || entry.getKey().equals(ADDRESS)) {
				throw new InvalidRpcPropertyException("rpc.registration.metadata." + entry.getKey(), entry.getValue(),
						"'" + ADDRESS + "' is reserved: it names the instance the metadata belongs to",
						"rename the entry; the registered address is set by rpc.listen-on");
			}
		}
	}

	private static @Nullable String firstSet(@Nullable String... candidates) {
		for (String candidate : candidates) {
			if (candidate != null && !candidate.isBlank()) {
				return candidate.strip();
			}
		}
		return null;
	}

}

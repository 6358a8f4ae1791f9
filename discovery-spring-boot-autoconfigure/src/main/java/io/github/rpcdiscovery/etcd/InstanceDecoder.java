package io.github.rpcdiscovery.etcd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.rpcdiscovery.target.HostAndPort;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns the raw entries of one service key into the instances to publish, with go-zero's reading rules: the key
 * suffix is ignored, values must be {@code host:port} and are de-duplicated by value; metadata written beside them
 * ({@link InstanceMetadataCodec}) is joined by address.
 * <p>
 * It remembers the bad values per etcd key, so each gets one WARN, not one per reload or per event, and the decoded
 * metadata, which is costlier to parse than an address. Good addresses are parsed again on each change (about 0.1
 * µs each): remembering them would cost more memory than it saves time. Confined to the cluster executor.
 */
final class InstanceDecoder {

	private static final Log logger = LogFactory.getLog(InstanceDecoder.class);

	private static final int MAX_LOGGED_VALUE = 80;

	/** etcd key → its value that is not host:port, already warned about */
	private final Map<String, String> badAddresses = new HashMap<>();

	/** metadata key → its value and what it decoded to ({@code null}: malformed, already warned about) */
	private final Map<String, DecodedMetadata> metadata = new HashMap<>();

	/**
	 * @param instanceEntries the keys under {@code <key>/} and their values
	 * @param metadataEntries the keys under {@code _rpc-meta/<key>/} and their values, sorted by key
	 * @return one entry per distinct address, in the order of the instance keys
	 */
	List<Resolved> resolve(Map<String, String> instanceEntries, Map<String, String> metadataEntries) {
		Map<HostAndPort, Map<String, String>> joined = joinMetadata(metadataEntries);
		Set<HostAndPort> unique = new LinkedHashSet<>();
		for (Map.Entry<String, String> entry : instanceEntries.entrySet()) {
			HostAndPort address = parseAddress(entry.getKey(), entry.getValue());
			if (address != null) {
				unique.add(address);
			}
		}
		if (!this.badAddresses.isEmpty()) {
			this.badAddresses.keySet().retainAll(instanceEntries.keySet());
		}
		List<Resolved> resolved = new ArrayList<>(unique.size());
		for (HostAndPort address : unique) {
			resolved.add(new Resolved(address, joined.getOrDefault(address, Map.of())));
		}
		return resolved;
	}

	private Map<HostAndPort, Map<String, String>> joinMetadata(Map<String, String> metadataEntries) {
		if (metadataEntries.isEmpty()) {
			this.metadata.clear();
			return Map.of();
		}
		Map<HostAndPort, Map<String, String>> joined = new HashMap<>();
		for (Map.Entry<String, String> entry : metadataEntries.entrySet()) {
			InstanceMetadataCodec.Decoded decoded = decodeMetadata(entry.getKey(), entry.getValue());
			if (decoded != null) {
				// several registrations of one address: their metadata merged, later keys winning
				joined.computeIfAbsent(decoded.address(), (address) -> new LinkedHashMap<>())
					.putAll(decoded.metadata());
			}
		}
		if (this.metadata.size() > metadataEntries.size()
				|| !metadataEntries.keySet().containsAll(this.metadata.keySet())) {
			this.metadata.keySet().retainAll(metadataEntries.keySet());
		}
		return joined;
	}

	private InstanceMetadataCodec.@Nullable Decoded decodeMetadata(String key, String value) {
		DecodedMetadata cached = this.metadata.get(key);
		if (cached != null && cached.value().equals(value)) {
			return cached.decoded();
		}
		InstanceMetadataCodec.Decoded decoded = null;
		try {
			decoded = InstanceMetadataCodec.decode(value);
		}
		catch (IllegalArgumentException ex) {
			warn(key, value, "is not valid instance metadata", ex, "serving the instance without it");
		}
		this.metadata.put(key, new DecodedMetadata(value, decoded));
		return decoded;
	}

	private @Nullable HostAndPort parseAddress(String key, String value) {
		if (value.equals(this.badAddresses.get(key))) {
			return null;
		}
		try {
			HostAndPort address = HostAndPort.parse(value);
			this.badAddresses.remove(key);
			return address;
		}
		catch (IllegalArgumentException ex) {
			warn(key, value, "is not host:port", ex, "skipping it");
			this.badAddresses.put(key, value);
			return null;
		}
	}

	private static void warn(String key, String value, String problem, IllegalArgumentException ex,
			String consequence) {
		logger.warn("etcd key '" + key + "' has value '" + printable(value) + "', which " + problem + " ("
				+ ex.getMessage() + "); " + consequence);
	}

	/** A registry value in a log line: bounded, with control characters shown as '?'. */
	static String printable(String value) {
		String bounded = (value.length() > MAX_LOGGED_VALUE) ? value.substring(0, MAX_LOGGED_VALUE) + "..." : value;
		StringBuilder printable = new StringBuilder(bounded.length());
		for (int i = 0; i < bounded.length(); i++) {
			char c = bounded.charAt(i);
			printable.append(Character.isISOControl(c) ? '?' : c);
		}
		return printable.toString();
	}

	/**
	 * One instance of the service.
	 *
	 * @param address its {@code host:port}
	 * @param metadata the metadata written beside it; empty when none
	 */
	record Resolved(HostAndPort address, Map<String, String> metadata) {

	}

	private record DecodedMetadata(String value, InstanceMetadataCodec.@Nullable Decoded decoded) {

	}

}

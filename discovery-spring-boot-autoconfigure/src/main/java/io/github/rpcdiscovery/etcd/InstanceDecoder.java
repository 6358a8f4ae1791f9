package io.github.rpcdiscovery.etcd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.github.rpcdiscovery.target.HostAndPort;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns the raw entries of one service key into the instances to publish, with go-zero's reading rules: the key
 * suffix is ignored, values must be {@code host:port} and are de-duplicated by value; metadata written beside them
 * ({@link InstanceMetadataCodec}) is joined by address.
 * <p>
 * It remembers what it parsed per etcd key, so a reload parses only what changed and a bad value gets one WARN, not
 * one per reload or per event. Confined to the cluster executor.
 */
final class InstanceDecoder {

	private static final Log logger = LogFactory.getLog(InstanceDecoder.class);

	private static final int MAX_LOGGED_VALUE = 80;

	private final Map<String, Parsed<HostAndPort>> addresses = new HashMap<>();

	private final Map<String, Parsed<InstanceMetadataCodec.Decoded>> metadata = new HashMap<>();

	/**
	 * @param instanceEntries the keys under {@code <key>/} and their values
	 * @param metadataEntries the keys under {@code _rpc-meta/<key>/} and their values, sorted by key
	 * @return one entry per distinct address, in the order of the instance keys
	 */
	List<Resolved> resolve(Map<String, String> instanceEntries, Map<String, String> metadataEntries) {
		Map<HostAndPort, Map<String, String>> joined = joinMetadata(metadataEntries);
		Set<HostAndPort> unique = new LinkedHashSet<>();
		for (Map.Entry<String, String> entry : instanceEntries.entrySet()) {
			HostAndPort address = parse(this.addresses, entry, HostAndPort::parse, "is not host:port",
					"skipping it");
			if (address != null) {
				unique.add(address);
			}
		}
		forgetGone(this.addresses, instanceEntries);
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
			InstanceMetadataCodec.Decoded decoded = parse(this.metadata, entry, InstanceMetadataCodec::decode,
					"is not valid instance metadata", "serving the instance without it");
			if (decoded != null) {
				// several registrations of one address: their metadata merged, later keys winning
				joined.computeIfAbsent(decoded.address(), (address) -> new LinkedHashMap<>())
					.putAll(decoded.metadata());
			}
		}
		forgetGone(this.metadata, metadataEntries);
		return joined;
	}

	private static <T> @Nullable T parse(Map<String, Parsed<T>> cache, Map.Entry<String, String> entry,
			Function<String, T> parser, String problem, String consequence) {
		Parsed<T> cached = cache.get(entry.getKey());
		if (cached != null && cached.value().equals(entry.getValue())) {
			return cached.result();
		}
		T result = null;
		try {
			result = parser.apply(entry.getValue());
		}
		catch (IllegalArgumentException ex) {
			logger.warn("etcd key '" + entry.getKey() + "' has value '" + printable(entry.getValue()) + "', which "
					+ problem + " (" + ex.getMessage() + "); " + consequence);
		}
		cache.put(entry.getKey(), new Parsed<>(entry.getValue(), result));
		return result;
	}

	private static void forgetGone(Map<String, ?> cache, Map<String, String> entries) {
		if (cache.size() > entries.size() || !entries.keySet().containsAll(cache.keySet())) {
			cache.keySet().retainAll(entries.keySet());
		}
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

	private record Parsed<T>(String value, @Nullable T result) {

	}

}

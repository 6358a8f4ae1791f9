package io.github.rpcdiscovery.etcd;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.rpcdiscovery.target.HostAndPort;

/**
 * The layout and encoding of instance metadata (zone, weight, version, scheme...) written beside a go-zero
 * registration, shared by the registering and the discovering side.
 * <p>
 * go-zero's value must stay the bare {@code host:port}, so metadata lives under a key of its own, on the same lease as
 * the instance key and <em>outside</em> the {@code <key>/} prefix, so go-zero readers never see it:
 * <pre>
 * user.rpc/7587857472832806666             127.0.0.1:8080
 * _rpc-meta/user.rpc/7587857472832806666   address=127.0.0.1%3A8080&amp;zone=z1&amp;weight=10
 * </pre>
 * The value is {@code application/x-www-form-urlencoded} with {@code address} first; readers join it onto the
 * instance whose value is that address.
 */
public final class InstanceMetadataCodec {

	/** The root of every metadata key. */
	public static final String ROOT = "_rpc-meta/";

	/** The form field that names the instance the metadata belongs to. */
	public static final String ADDRESS = "address";

	private InstanceMetadataCodec() {
	}

	/** {@code _rpc-meta/<key>/<suffix>}: where the metadata of instance key {@code <key>/<suffix>} lives. */
	public static String metadataKey(String key, String suffix) {
		return metadataPrefix(key) + suffix;
	}

	/** {@code _rpc-meta/<key>/}: the prefix of the metadata of every instance of a service key. */
	public static String metadataPrefix(String key) {
		return ROOT + key + "/";
	}

	/**
	 * Encodes metadata for an instance.
	 * @param address the instance's value in etcd, {@code host:port}
	 * @param metadata the metadata; must not contain {@value #ADDRESS}
	 * @return e.g. {@code address=127.0.0.1%3A8080&zone=z1}
	 * @throws IllegalArgumentException if the address is not {@code host:port} or the metadata names
	 * {@value #ADDRESS} or an empty key
	 */
	public static String encode(String address, Map<String, String> metadata) {
		StringBuilder form = new StringBuilder(ADDRESS).append('=').append(escape(HostAndPort.parse(address).toString()));
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			if (entry.getKey().isEmpty() || ADDRESS.equals(entry.getKey())) {
				throw new IllegalArgumentException("metadata key '" + entry.getKey() + "' is reserved or empty");
			}
			form.append('&').append(escape(entry.getKey())).append('=').append(escape(entry.getValue()));
		}
		return form.toString();
	}

	/**
	 * Decodes a metadata value.
	 * @throws IllegalArgumentException with a message saying what is wrong (no address, a field without
	 * {@code =}, a bad escape, a repeated field)
	 */
	public static Decoded decode(String value) {
		if (value.isBlank()) {
			throw new IllegalArgumentException("the value is empty");
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (String field : value.split("&", -1)) {
			int equals = field.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException("field '" + field + "' is not name=value");
			}
			String name = unescape(field.substring(0, equals));
			if (fields.put(name, unescape(field.substring(equals + 1))) != null) {
				throw new IllegalArgumentException("field '" + name + "' is repeated");
			}
		}
		String address = fields.remove(ADDRESS);
		if (address == null) {
			throw new IllegalArgumentException("it has no " + ADDRESS + " field");
		}
		return new Decoded(HostAndPort.parse(address), Collections.unmodifiableMap(fields));
	}

	private static String escape(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static String unescape(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	/**
	 * Decoded metadata.
	 *
	 * @param address the instance it belongs to
	 * @param metadata the other fields, in the order written
	 */
	public record Decoded(HostAndPort address, Map<String, String> metadata) {

	}

}

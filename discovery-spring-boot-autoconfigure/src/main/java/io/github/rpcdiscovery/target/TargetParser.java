package io.github.rpcdiscovery.target;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses go-zero's client target strings ({@code zrpc/resolver/target.go}):
 * <ul>
 * <li>{@code k8s://namespace/service[:port]} (empty namespace means {@code default}; the port is the pod port);</li>
 * <li>{@code etcd:///h1:2379,h2:2379?key=user.rpc}, the legacy {@code etcd://h1:2379,h2:2379/user.rpc} and the same
 * two forms with {@code discov://};</li>
 * <li>{@code direct:///a:1,b:2}.</li>
 * </ul>
 * Errors are {@link IllegalArgumentException}s whose message says what is wrong; callers add the property name.
 * An etcd target whose host list is empty returns a cluster without hosts: the caller fills in its default cluster.
 */
public final class TargetParser {

	/** The schemes understood, for error messages. */
	public static final String SUPPORTED = "k8s://namespace/service:port, etcd:///host:2379?key=service.key, "
			+ "etcd://host:2379/service.key, discov://host:2379/service.key, direct:///host:port,host:port";

	private TargetParser() {
	}

	public static RpcTarget parse(String target) {
		if (target == null || target.isBlank()) {
			throw new IllegalArgumentException("the target is empty");
		}
		String text = target.strip();
		int schemeEnd = text.indexOf("://");
		if (schemeEnd <= 0) {
			throw new IllegalArgumentException("it has no scheme; expected one of " + SUPPORTED);
		}
		String scheme = text.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
		String rest = text.substring(schemeEnd + 3);
		String query = "";
		int question = rest.indexOf('?');
		if (question >= 0) {
			query = rest.substring(question + 1);
			rest = rest.substring(0, question);
		}
		int slash = rest.indexOf('/');
		String authority = (slash >= 0) ? rest.substring(0, slash) : rest;
		String path = (slash >= 0) ? trimSlashes(rest.substring(slash + 1)) : "";
		return switch (scheme) {
			case "k8s" -> kubernetes(authority, path);
			case "etcd", "discov" -> etcd(authority, path, query);
			case "direct" -> direct(authority.isEmpty() ? path : authority);
			default -> throw new IllegalArgumentException("scheme '" + scheme + "' is not supported; expected one of "
					+ SUPPORTED + (scheme.equals("dns") ? " (for a DNS name use rpc.endpoints: name:port)" : ""));
		};
	}

	private static KubernetesTarget kubernetes(String namespace, String endpoint) {
		if (endpoint.isEmpty()) {
			throw new IllegalArgumentException("it names no service; expected k8s://namespace/service:port");
		}
		String ns = namespace.isEmpty() ? "default" : namespace;
		int colon = endpoint.indexOf(':');
		if (colon < 0) {
			return new KubernetesTarget(ns, checkServiceName(endpoint), null);
		}
		String service = checkServiceName(endpoint.substring(0, colon));
		String port = endpoint.substring(colon + 1);
		try {
			return new KubernetesTarget(ns, service, HostAndPort.parsePort(port));
		}
		catch (IllegalArgumentException ex) {
			String hint = port.chars().allMatch(Character::isDigit) ? ""
					: " (go-zero takes the numeric pod port; for a named port, leave the port out and set"
							+ " rpc.kubernetes.port-name: " + port + ")";
			throw new IllegalArgumentException(ex.getMessage() + hint, ex);
		}
	}

	private static String checkServiceName(String service) {
		if (service.isEmpty()) {
			throw new IllegalArgumentException("it names no service; expected k8s://namespace/service:port");
		}
		return service;
	}

	private static EtcdTarget etcd(String authority, String path, String query) {
		String key = queryParameter(query, "key");
		String hosts;
		if (key != null) {
			// current form: etcd:///h1:2379,h2:2379?key=user.rpc
			hosts = authority.isEmpty() ? path : authority;
		}
		else {
			// legacy form: etcd://h1:2379,h2:2379/user.rpc
			hosts = authority;
			key = path;
		}
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException(
					"it names no key; expected etcd:///host:2379?key=service.key or etcd://host:2379/service.key");
		}
		List<String> hostList = new ArrayList<>();
		for (String host : splitList(hosts)) {
			HostAndPort.parse(host);
			hostList.add(host);
		}
		return new EtcdTarget(EtcdCluster.of(hostList), key);
	}

	private static DirectTarget direct(String endpoints) {
		List<HostAndPort> list = new ArrayList<>();
		for (String endpoint : splitList(endpoints)) {
			list.add(HostAndPort.parse(endpoint));
		}
		if (list.isEmpty()) {
			throw new IllegalArgumentException("it lists no endpoints; expected direct:///host:port,host:port");
		}
		return new DirectTarget(list);
	}

	private static List<String> splitList(String text) {
		List<String> items = new ArrayList<>();
		for (String item : text.split(",", -1)) {
			if (!item.isBlank()) {
				items.add(item.strip());
			}
			else if (!text.isBlank()) {
				throw new IllegalArgumentException("its endpoint list has an empty entry");
			}
		}
		return items;
	}

	private static String queryParameter(String query, String name) {
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			String key = (eq >= 0) ? pair.substring(0, eq) : pair;
			if (key.equals(name)) {
				return URLDecoder.decode((eq >= 0) ? pair.substring(eq + 1) : "", StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	private static String trimSlashes(String text) {
		int start = 0;
		int end = text.length();
		while (start < end && text.charAt(start) == '/') {
			start++;
		}
		while (end > start && text.charAt(end - 1) == '/') {
			end--;
		}
		return text.substring(start, end);
	}

}

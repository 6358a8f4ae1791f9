package io.github.rpcdiscovery.grpc.resolver;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.github.rpcdiscovery.config.DiscoveryPlanResolver;
import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.RpcTarget;
import io.github.rpcdiscovery.target.Upstream;
import org.jspecify.annotations.Nullable;

/**
 * A gRPC channel target this starter resolves, and the upstream it stands for:
 * <ul>
 * <li>go-zero's own targets, parsed by the same rules as {@code rpc.target}: {@code etcd:///h1:2379,h2:2379?key=K}
 * and {@code discov:///...} (no hosts: {@code rpc.etcd}'s cluster), the single-host legacy
 * {@code etcd://h:2379/K}, {@code direct:///a:1,b:2} and {@code k8s://namespace/service:port};</li>
 * <li>{@code discovery:///<serviceId>}: whatever the starter resolves that service id to.</li>
 * </ul>
 * A go-zero target that names the same place as an upstream of the plan shares its service id (and so its watch and
 * its catalog entry, with the HTTP clients); any other is watched under the target text as its service id.
 *
 * @param text the target as written
 * @param upstream the upstream it stands for
 * @param authority the authority calls carry: the service id, etcd key or Kubernetes service, or the first endpoint
 */
public record GrpcTarget(String text, Upstream upstream, String authority) {

	/** The schemes resolved here. */
	public static final List<String> SCHEMES = List.of("discovery", "etcd", "discov", "direct", "k8s");

	private static final String DISCOVERY_FORM = "discovery:///<service-id>";

	/** The scheme of a target, lower case, or {@code null} if it has none of the form {@code scheme:}. */
	public static @Nullable String scheme(String target) {
		int colon = target.indexOf(':');
		if (colon <= 0) {
			return null;
		}
		String scheme = target.substring(0, colon).strip().toLowerCase(Locale.ROOT);
		return scheme.chars().allMatch((c) -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')
				? scheme : null;
	}

	/** Whether the target has one of the {@link #SCHEMES}. */
	public static boolean isResolvedHere(String target) {
		String scheme = scheme(target);
		return scheme != null && SCHEMES.contains(scheme);
	}

	/**
	 * Parses a target of one of the {@link #SCHEMES}.
	 * @param target the target
	 * @param plan where service ids resolve, and the default etcd cluster
	 * @throws IllegalArgumentException with a message that says what is wrong and how to write it
	 */
	public static GrpcTarget parse(String target, DiscoveryPlan plan) {
		String text = target.strip();
		String scheme = scheme(text);
		if (scheme == null || !SCHEMES.contains(scheme)) {
			throw new IllegalArgumentException("'" + target + "' is not a target of " + String.join(", ", SCHEMES));
		}
		if (scheme.equals("discovery")) {
			return discovery(text, plan);
		}
		rejectAmbiguousEtcdForms(text, scheme);
		RpcTarget parsed;
		try {
			parsed = DiscoveryPlanResolver.target("target", text, plan.defaultEtcd());
		}
		catch (InvalidRpcPropertyException ex) {
			throw new IllegalArgumentException(ex.getProblem() + "; " + ex.getFix(), ex);
		}
		return new GrpcTarget(text, sharedUpstream(parsed, plan)
			.orElseGet(() -> new Upstream(text, parsed, "gRPC target " + text)), authority(parsed));
	}

	private static GrpcTarget discovery(String text, DiscoveryPlan plan) {
		String rest = text.substring(text.indexOf(':') + 1);
		if (!rest.startsWith("///")) {
			throw new IllegalArgumentException("the service id goes in the path, after three slashes: " + DISCOVERY_FORM
					+ (rest.startsWith("//") ? " (write discovery:///" + rest.substring(2) + ")" : ""));
		}
		String serviceId = rest.substring(3);
		if (serviceId.isBlank() || serviceId.contains("/") || serviceId.contains("?")) {
			throw new IllegalArgumentException("'" + serviceId + "' is not a service id; expected " + DISCOVERY_FORM);
		}
		Upstream upstream = plan.upstreamFor(serviceId)
			.orElseThrow(() -> new IllegalArgumentException("service id '" + serviceId + "' resolves nowhere: it is"
					+ " not in rpc.clients, and neither rpc.etcd.hosts nor Kubernetes discovery is configured to look"
					+ " any service up"));
		return new GrpcTarget(text, upstream, serviceId);
	}

	/**
	 * go-zero's old form put the etcd hosts in the authority. grpc-java 1.83+ parses targets as RFC 3986 URIs by
	 * default, where an authority is one host, and fails such a target before any resolver sees it; this says why.
	 * Also rejects an empty authority without {@code ?key=}, which go-zero and older parsers read differently.
	 */
	private static void rejectAmbiguousEtcdForms(String text, String scheme) {
		if (!scheme.equals("etcd") && !scheme.equals("discov")) {
			return;
		}
		int start = text.indexOf("://");
		if (start < 0) {
			return;
		}
		String afterSlashes = text.substring(start + 3);
		int end = afterSlashes.length();
		for (char delimiter : new char[] { '/', '?' }) {
			int at = afterSlashes.indexOf(delimiter);
			if (at >= 0 && at < end) {
				end = at;
			}
		}
		String authority = afterSlashes.substring(0, end);
		String afterAuthority = afterSlashes.substring(end);
		if (authority.isEmpty() && !afterSlashes.contains("?")) {
			// go-zero reads etcd:///x as hosts x without a key, older parsers as key x: ambiguous, so not accepted
			String path = afterAuthority.replaceFirst("^/+", "");
			throw new IllegalArgumentException("'" + text + "' names no key: go-zero reads the path of " + scheme
					+ ":///... as the etcd hosts; write " + scheme + ":///" + (path.isEmpty() ? "host:2379" : path)
					+ "?key=<key>, or " + scheme + ":///?key=" + (path.isEmpty() ? "<key>" : path)
					+ " for rpc.etcd's hosts, or discovery:///<service-id>");
		}
		if (authority.contains(",")) {
			String key = afterAuthority.replaceFirst("^/+", "");
			throw new IllegalArgumentException("'" + text + "' is go-zero's legacy form with several etcd hosts in the"
					+ " authority, which grpc-java 1.83+ rejects (it parses targets as RFC 3986 URIs, whose authority is"
					+ " a single host); write " + scheme + ":///" + authority + "?key="
					+ (key.isEmpty() ? "<key>" : key) + " (go-zero's current form)");
		}
	}

	/** The plan's upstream for the same place, if there is one: its service id is shared. */
	private static Optional<Upstream> sharedUpstream(RpcTarget target, DiscoveryPlan plan) {
		for (Upstream configured : plan.configured()) {
			if (configured.target().equals(target)) {
				return Optional.of(configured);
			}
		}
		String implied = target.impliedServiceId();
		return (implied != null) ? plan.upstreamFor(implied).filter((upstream) -> upstream.target().equals(target))
				: Optional.empty();
	}

	private static String authority(RpcTarget target) {
		if (target instanceof EtcdTarget etcd) {
			return etcd.key();
		}
		if (target instanceof KubernetesTarget kubernetes) {
			return kubernetes.service();
		}
		return ((DirectTarget) target).endpoints().get(0).toString();
	}

	/** The service id the catalog keeps the instances under. */
	public String serviceId() {
		return this.upstream.serviceId();
	}

	/** The source that watches it: {@code direct}, {@code etcd} or {@code kubernetes}. */
	public String source() {
		return this.upstream.target().source();
	}

}

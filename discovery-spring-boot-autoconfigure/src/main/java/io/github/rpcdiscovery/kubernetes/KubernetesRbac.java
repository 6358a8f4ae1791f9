package io.github.rpcdiscovery.kubernetes;

import java.util.ArrayList;
import java.util.List;

/**
 * Exactly what this starter asks of the API server, as RBAC rules. The sample Roles in {@code k8s/} are checked
 * against these rules by a test, and the 403 messages print them.
 * <p>
 * An informer lists, then watches: {@code list} and {@code watch}. Nothing is read by name, so {@code get} is not
 * needed (go-zero's manifests grant it; granting it too does no harm). Nothing reads the core {@code endpoints}
 * resource, which Kubernetes deprecated in 1.33.
 */
public final class KubernetesRbac {

	/** The rule every application that discovers through Kubernetes needs, in each namespace it discovers in. */
	public static final Rule ENDPOINT_SLICES = new Rule("discovery.k8s.io", "endpointslices", List.of("list", "watch"));

	/**
	 * The extra rule of {@code rpc.kubernetes.include-service-labels=true} (the Services' labels) and of
	 * {@code DiscoveryClient.getServices()} (the Gateway's discovery locator, Spring Boot Admin: the Services of each
	 * namespace discovered in). Without it {@code getServices()} lists only the services looked up, with one WARN.
	 */
	public static final Rule SERVICES = new Rule("", "services", List.of("list", "watch"));

	/** The sample manifest that grants {@link #SERVICES}. */
	public static final String SERVICES_MANIFEST = "k8s/rbac-service-labels.yaml (the same Role serves both);"
			+ " docs/kubernetes.md, section \"RBAC\"";

	/** Where the sample manifests are, relative to the repository root, and the documentation section on RBAC. */
	public static final String SAMPLE_MANIFESTS = "k8s/sample-client.yaml (same namespace), "
			+ "k8s/rbac-cross-namespace.yaml (another namespace); docs/kubernetes.md, section \"RBAC\"";

	private KubernetesRbac() {
	}

	/** The rules needed with these settings. */
	public static List<Rule> requiredRules(boolean includeServiceLabels) {
		List<Rule> rules = new ArrayList<>();
		rules.add(ENDPOINT_SLICES);
		if (includeServiceLabels) {
			rules.add(SERVICES);
		}
		return List.copyOf(rules);
	}

	/**
	 * One RBAC rule.
	 *
	 * @param apiGroup the API group, {@code ""} for the core group
	 * @param resource the resource, plural
	 * @param verbs the verbs
	 */
	public record Rule(String apiGroup, String resource, List<String> verbs) {

		public Rule {
			verbs = List.copyOf(verbs);
		}

		/** {@code endpointslices.discovery.k8s.io}, as kubectl's {@code --resource} takes it. */
		public String qualifiedResource() {
			return this.apiGroup.isEmpty() ? this.resource : this.resource + "." + this.apiGroup;
		}

		/** {@code list, watch on endpointslices in API group discovery.k8s.io} */
		public String describe() {
			return String.join(", ", this.verbs) + " on " + this.resource + " in API group "
					+ (this.apiGroup.isEmpty() ? "\"\" (core)" : this.apiGroup);
		}

	}

}

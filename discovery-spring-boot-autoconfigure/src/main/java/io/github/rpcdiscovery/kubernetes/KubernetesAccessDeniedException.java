package io.github.rpcdiscovery.kubernetes;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rpcdiscovery.kubernetes.KubernetesRbac.Rule;
import org.jspecify.annotations.Nullable;

/**
 * The API server refused to let this application list or watch what discovery needs: 403 Forbidden (RBAC) or 401
 * Unauthorized (no valid token). Says who was refused, what is needed in which namespace, and the commands that grant
 * it. Never contains a token.
 */
public class KubernetesAccessDeniedException extends RuntimeException {

	private static final Pattern USER = Pattern.compile("User \"([^\"]+)\"");

	private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

	private final int code;

	private final String namespace;

	private final String service;

	private final List<String> serviceIds;

	private final Rule rule;

	private final @Nullable String user;

	private final String serverMessage;

	/**
	 * @param code 401 or 403
	 * @param namespace the namespace the request was for
	 * @param service the Kubernetes Service whose slices were asked for; empty when every Service of the namespace
	 * was asked for ({@code getServices()})
	 * @param serviceIds the service ids that resolve to it
	 * @param rule what was asked for
	 * @param user who asked, as the API server or the token names it ({@code system:serviceaccount:ns:name}), if known
	 * @param serverMessage the API server's message
	 */
	public KubernetesAccessDeniedException(int code, String namespace, String service, List<String> serviceIds,
			Rule rule, @Nullable String user, String serverMessage) {
		super(summary(code, namespace, service, rule, user));
		this.code = code;
		this.namespace = namespace;
		this.service = service;
		this.serviceIds = List.copyOf(serviceIds);
		this.rule = rule;
		this.user = user;
		this.serverMessage = serverMessage;
	}

	/** The user the API server's message names ({@code User "..."}), if any. */
	static @Nullable String userIn(@Nullable String serverMessage) {
		if (serverMessage == null) {
			return null;
		}
		Matcher matcher = USER.matcher(serverMessage);
		return matcher.find() ? matcher.group(1) : null;
	}

	private static String summary(int code, String namespace, String service, Rule rule, @Nullable String user) {
		if (code == 401) {
			return "Kubernetes rejected the credentials of rpc-discovery (401 Unauthorized) when listing "
					+ rule.resource() + " of Service '" + service + "' in namespace '" + namespace + "'";
		}
		return "Kubernetes denied " + who(user) + " " + rule.describe() + " in namespace '" + namespace
				+ "' (403 Forbidden), needed to " + (service.isEmpty()
						? "list the namespace's Services for DiscoveryClient.getServices()"
						: "discover Service '" + service + "'");
	}

	public int getCode() {
		return this.code;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public String getService() {
		return this.service;
	}

	public List<String> getServiceIds() {
		return this.serviceIds;
	}

	public Rule getRule() {
		return this.rule;
	}

	public @Nullable String getUser() {
		return this.user;
	}

	public String getServerMessage() {
		return this.serverMessage;
	}

	/** {@code namespace/name} of the service account the API server named, if it named one. */
	public @Nullable String getServiceAccount() {
		if (this.user == null || !this.user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
			return null;
		}
		String[] parts = this.user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
		return (parts.length == 2) ? parts[0] + "/" + parts[1] : null;
	}

	/** What happened, for a startup report or a log line. */
	public String description() {
		String account = getServiceAccount();
		StringBuilder text = new StringBuilder(getMessage()).append(".\n\n");
		if (!this.service.isEmpty()) {
			line(text, "Service ids", String.join(", ", this.serviceIds));
			line(text, "Service", this.namespace + "/" + this.service);
		}
		line(text, "Namespace", this.namespace);
		line(text, "Service account", (account != null) ? account
				: (this.user != null) ? "none; the request was made as user " + this.user
						: "unknown: the pod's spec.serviceAccountName ('default' when unset)");
		line(text, "Needs", this.rule.describe() + ", in namespace " + this.namespace);
		line(text, "API server said", this.serverMessage);
		return text.toString();
	}

	/** How to fix it: the kubectl commands and the sample manifests. */
	public String action() {
		if (this.code == 401) {
			return "Give rpc-discovery a valid token: in a pod, keep the service account token mounted"
					+ " (automountServiceAccountToken must not be false); outside, check the current context of"
					+ " KUBECONFIG / ~/.kube/config, or rpc.kubernetes.master-url and rpc.kubernetes.token.";
		}
		String subject = subject();
		String role = "rpc-discovery-" + this.rule.resource();
		return "Grant " + this.rule.describe() + " in namespace " + this.namespace + " with a Role and a"
				+ " RoleBinding:\n\n" + "    kubectl create role " + role + " --verb=" + String.join(",", this.rule.verbs())
				+ " --resource=" + this.rule.qualifiedResource() + " -n " + this.namespace + "\n"
				+ "    kubectl create rolebinding " + role + " --role=" + role + " " + subject + " -n "
				+ this.namespace + "\n\n" + "or apply the sample manifests: "
				+ (this.rule.equals(KubernetesRbac.SERVICES) ? KubernetesRbac.SERVICES_MANIFEST
						: KubernetesRbac.SAMPLE_MANIFESTS + ". Note that the core \"endpoints\" resource is not what is"
								+ " needed: EndpointSlices live in API group discovery.k8s.io")
				+ ".";
	}

	private String subject() {
		String account = getServiceAccount();
		if (account != null) {
			return "--serviceaccount=" + account.replace('/', ':');
		}
		if (this.user != null) {
			return "--user=" + this.user;
		}
		return "--serviceaccount=<pod-namespace>:<service-account>";
	}

	private static String who(@Nullable String user) {
		if (user == null) {
			return "rpc-discovery";
		}
		if (user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
			return "service account " + user.substring(SERVICE_ACCOUNT_PREFIX.length()).replace(':', '/');
		}
		return "user " + user;
	}

	private static void line(StringBuilder text, String label, String value) {
		text.append("    ").append(label).append(':').append(" ".repeat(Math.max(1, 17 - label.length())))
			.append(value)
			.append('\n');
	}

}

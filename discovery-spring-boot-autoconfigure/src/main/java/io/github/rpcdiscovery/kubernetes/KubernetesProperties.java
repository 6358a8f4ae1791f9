package io.github.rpcdiscovery.kubernetes;

import java.util.Map;
import java.util.regex.Pattern;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kubernetes discovery: which namespace other service ids resolve in, how a port is chosen when the target names none,
 * and how to reach the API server. go-zero has none of these: it reads the in-cluster configuration only and takes the
 * first port of the first EndpointSlice.
 *
 * @param enabled Turns the Kubernetes parts on (true) or off (false) whatever the targets say. Unset: on when a target
 * is k8s:// or rpc.kubernetes.namespace is set.
 * @param namespace The namespace any service id that no client block names resolves in, as a Service of that name.
 * Unset: the namespace of the top-level k8s:// target, if any.
 * @param portName The name of the endpoint port to use when a k8s:// target has no port and the Service has several
 * ports, e.g. grpc.
 * @param portNames Per Kubernetes Service name, the endpoint port name to use; wins over port-name.
 * @param preferredAddressFamily Which address of a dual-stack pod to call: IPv4 or IPv6. A pod is one instance, whatever
 * the number of families it has addresses in.
 * @param includeServiceLabels Copy the labels of the Service into every instance's metadata. Needs list and watch on
 * services in the namespace, in addition to endpointslices.
 * @param masterUrl The API server URL, e.g. https://127.0.0.1:6443. Unset: the in-cluster service account when running
 * in a pod, else the current context of KUBECONFIG or ~/.kube/config.
 * @param token A bearer token for the API server, with master-url. Never logged.
 * @param caCertFile The CA certificate (PEM) that signed the API server's certificate, with master-url.
 * @param trustCerts Trust any API server certificate (tests and development only).
 */
@ConfigurationProperties("rpc.kubernetes")
public record KubernetesProperties(@Nullable Boolean enabled, @Nullable String namespace, @Nullable String portName,
		@DefaultValue Map<String, String> portNames, @DefaultValue("ipv4") AddressFamily preferredAddressFamily,
		boolean includeServiceLabels, @Nullable String masterUrl, @Nullable String token, @Nullable String caCertFile,
		boolean trustCerts) {

	/** RFC 1123 label: namespaces and port names. */
	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	public KubernetesProperties {
		portNames = (portNames != null) ? Map.copyOf(portNames) : Map.of();
		preferredAddressFamily = (preferredAddressFamily != null) ? preferredAddressFamily : AddressFamily.IPV4;
	}

	public static KubernetesProperties defaults() {
		return new KubernetesProperties(null, null, null, Map.of(), AddressFamily.IPV4, false, null, null, null, false);
	}

	/** The port name to use for a Service when its target has no port: per service, else the default, else none. */
	public @Nullable String portNameFor(String service) {
		String own = this.portNames.get(service);
		return (own != null) ? own : this.portName;
	}

	/** Rejects values that cannot work, naming the property and the fix. */
	public KubernetesProperties validate() {
		if (this.namespace != null && !isDnsLabel(this.namespace)) {
			throw new InvalidRpcPropertyException("rpc.kubernetes.namespace", this.namespace,
					"it is not a valid namespace name (lower-case letters, digits and '-', at most 63)",
					"write the namespace as kubectl shows it, e.g. default");
		}
		checkPortName("rpc.kubernetes.port-name", this.portName);
		this.portNames.forEach((service, name) -> checkPortName("rpc.kubernetes.port-names." + service, name));
		if (this.masterUrl != null && !this.masterUrl.startsWith("https://") && !this.masterUrl.startsWith("http://")) {
			throw new InvalidRpcPropertyException("rpc.kubernetes.master-url", this.masterUrl,
					"it is not an http(s) URL", "write the API server URL, e.g. https://127.0.0.1:6443");
		}
		return this;
	}

	static boolean isDnsLabel(String text) {
		return DNS_LABEL.matcher(text).matches();
	}

	private static void checkPortName(String property, @Nullable String name) {
		if (name != null && (name.length() > 15 || !isDnsLabel(name))) {
			throw new InvalidRpcPropertyException(property, name, "it is not a valid port name (lower-case letters,"
					+ " digits and '-', at most 15)", "write the name of a port of the Service, e.g. grpc or http");
		}
	}

	/** Never shows the token. */
	@Override
	public String toString() {
		return "KubernetesProperties[enabled=" + this.enabled + ", namespace=" + this.namespace + ", portName="
				+ this.portName + ", portNames=" + this.portNames + ", preferredAddressFamily="
				+ this.preferredAddressFamily + ", includeServiceLabels=" + this.includeServiceLabels + ", masterUrl="
				+ this.masterUrl + ", token=" + ((this.token != null) ? "******" : null) + ", caCertFile="
				+ this.caCertFile + ", trustCerts=" + this.trustCerts + "]";
	}

	/** The address families of EndpointSlices ({@code addressType}). */
	public enum AddressFamily {

		IPV4("IPv4"), IPV6("IPv6");

		private final String addressType;

		AddressFamily(String addressType) {
			this.addressType = addressType;
		}

		/** As EndpointSlices write it: {@code IPv4}, {@code IPv6}. */
		public String addressType() {
			return this.addressType;
		}

		static @Nullable AddressFamily ofAddressType(@Nullable String addressType) {
			for (AddressFamily family : values()) {
				if (family.addressType.equals(addressType)) {
					return family;
				}
			}
			return null;
		}

	}

}

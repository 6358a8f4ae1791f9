package io.github.rpcdiscovery.etcd.registration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Catches the classic container mistake before it is registered: an address found automatically that only this
 * container (loopback) or perhaps only this host's containers can reach, while callers run elsewhere.
 * <ul>
 * <li>An address given on purpose, by {@code rpc.listen-on} or {@code POD_IP} (the downward API), is registered as
 * given: 172.17.0.0/16 and 10.88.0.0/16 are Docker's and Podman's default bridges, but also ordinary pod and VPC
 * ranges in many clusters, so their text proves nothing. A loopback {@code POD_IP} in a container gets one WARN: it is
 * always a mistake there, and yet it was asked for.</li>
 * <li>Found automatically ({@code InetUtils}) in a container: a loopback address stops the startup, and the failure
 * analyzer says how to set {@code rpc.listen-on} or {@code POD_IP}; a bridge-range address cannot be verified from
 * its text, so it is registered with one WARN that says how to set the address or turn the check off.</li>
 * <li>Outside a container, or with {@code rpc.registration.container-address-check=false}: nothing to say.</li>
 * </ul>
 */
final class ContainerAddressCheck {

	static final String PROPERTY = "rpc.registration.container-address-check";

	private static final Log logger = LogFactory.getLog(EtcdAutoRegistration.class);

	private final @Nullable ContainerDetector detector;

	ContainerAddressCheck(@Nullable ContainerDetector detector) {
		this.detector = detector;
	}

	static ContainerAddressCheck system() {
		return new ContainerAddressCheck(ContainerDetector.system());
	}

	static ContainerAddressCheck disabled() {
		return new ContainerAddressCheck(null);
	}

	/**
	 * @throws ContainerAddressException if an automatically found address is loopback in a container
	 */
	void check(RegistrationAddressResolver.Resolved resolved) {
		if (this.detector == null) {
			return;
		}
		String kind = ContainerLocalAddress.kind(resolved.address().host());
		if (kind == null || RegistrationAddressResolver.PROPERTY.equals(resolved.origin())) {
			return;
		}
		@Nullable String evidence = this.detector.evidence();
		if (evidence == null) {
			return;
		}
		String address = resolved.address().toString();
		boolean loopback = kind.equals("loopback");
		if (resolved.origin().equals("POD_IP")) {
			if (loopback) {
				logger.warn("Registering " + address + " as POD_IP says, but it is a loopback address and this process"
						+ " runs in a container (" + evidence + "): no other pod can call it. Pass the pod IP with the"
						+ " downward API (fieldPath: status.podIP)");
			}
			return;
		}
		if (loopback) {
			throw new ContainerAddressException(address, resolved.origin(), kind, evidence);
		}
		logger.warn("Registering " + address + ", found by " + resolved.origin() + ", which is in the range of " + kind
				+ ", and this process runs in a container (" + evidence + "): if callers on other hosts cannot reach"
				+ " it, set rpc.listen-on to an address they can (in Kubernetes: ${POD_IP}). If it is reachable (a pod"
				+ " or VPC range), set rpc.listen-on, or " + PROPERTY + "=false to silence this check");
	}

}

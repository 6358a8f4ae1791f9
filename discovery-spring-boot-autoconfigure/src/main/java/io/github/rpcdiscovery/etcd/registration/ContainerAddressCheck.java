package io.github.rpcdiscovery.etcd.registration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Catches the classic container mistake before it is registered: an address only this container (loopback) or this
 * host's containers (a runtime's default bridge, e.g. Docker's 172.17.0.0/16) can reach, while callers run elsewhere.
 * <ul>
 * <li>Found automatically ({@code InetUtils}, {@code POD_IP}) in a container: startup fails, and the failure analyzer
 * says how to set {@code rpc.listen-on} or {@code POD_IP}.</li>
 * <li>Set explicitly in {@code rpc.listen-on} in a container: registered as asked. A loopback address is a deliberate
 * single-container setup (a sidecar, a test) and says nothing; a bridge address is often copied from
 * {@code hostname -i} by mistake, so it gets one WARN saying who can reach it.</li>
 * <li>Outside a container: nothing to say; an explicit loopback {@code rpc.listen-on} is the documented single-machine
 * setup.</li>
 * </ul>
 */
final class ContainerAddressCheck {

	private static final Log logger = LogFactory.getLog(EtcdAutoRegistration.class);

	private final ContainerDetector detector;

	ContainerAddressCheck(ContainerDetector detector) {
		this.detector = detector;
	}

	static ContainerAddressCheck system() {
		return new ContainerAddressCheck(ContainerDetector.system());
	}

	/**
	 * @throws ContainerAddressException if an automatically found address is container-local in a container
	 */
	void check(RegistrationAddressResolver.Resolved resolved) {
		String kind = ContainerLocalAddress.kind(resolved.address().host());
		if (kind == null) {
			return;
		}
		@Nullable String evidence = this.detector.evidence();
		if (evidence == null) {
			return;
		}
		String address = resolved.address().toString();
		if (RegistrationAddressResolver.PROPERTY.equals(resolved.origin())) {
			if (kind.equals("loopback")) {
				return;
			}
			logger.warn("Registering " + address + " as rpc.listen-on says, but it is on " + kind + " and this process"
					+ " runs in a container (" + evidence + "): only callers in containers on this host can reach it."
					+ " Set rpc.listen-on to an address callers can reach (in Kubernetes: ${POD_IP})");
			return;
		}
		throw new ContainerAddressException(address, resolved.origin(), kind, evidence);
	}

}

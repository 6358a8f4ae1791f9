package io.github.rpcdiscovery.diagnostics;

import io.github.rpcdiscovery.etcd.registration.ContainerAddressException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an automatically found container-local address (a container bridge address, in a container) into a report
 * saying how to register an address callers can reach: {@code rpc.listen-on}, or {@code POD_IP} in Kubernetes.
 */
class ContainerAddressFailureAnalyzer extends AbstractFailureAnalyzer<ContainerAddressException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ContainerAddressException cause) {
		String description = String.format("This application would register an address other machines cannot call:"
				+ "%n%n    Address: %s (found by %s)%n    Network: %s%n    Container: %s%n", cause.getAddress(),
				cause.getOrigin(), cause.getKind(), cause.getEvidence());
		return new FailureAnalysis(description, "Register an address callers can reach. In Kubernetes, pass the pod IP"
				+ " with the downward API (env: - name: POD_IP, valueFrom: fieldRef: fieldPath: status.podIP) or set"
				+ " rpc.listen-on: ${POD_IP}. With Docker, set rpc.listen-on to the host's address and publish the port"
				+ " (-p), or use a network callers share (--network host, an overlay network). For a single-host setup"
				+ " where only this host's containers call it, set rpc.listen-on to this address explicitly.", cause);
	}

}

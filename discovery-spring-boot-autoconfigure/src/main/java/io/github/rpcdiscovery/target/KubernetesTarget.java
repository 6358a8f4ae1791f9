package io.github.rpcdiscovery.target;

import org.jspecify.annotations.Nullable;

/**
 * The ready endpoints of a Kubernetes Service: {@code k8s://namespace/service[:port]}.
 *
 * @param namespace the namespace ({@code default} when the target leaves it empty)
 * @param service the Service name
 * @param port the pod (target) port, or {@code null} to take the endpoint's port
 */
public record KubernetesTarget(String namespace, String service, @Nullable Integer port) implements RpcTarget {

	@Override
	public String source() {
		return "kubernetes";
	}

	@Override
	public String impliedServiceId() {
		return this.service;
	}

}

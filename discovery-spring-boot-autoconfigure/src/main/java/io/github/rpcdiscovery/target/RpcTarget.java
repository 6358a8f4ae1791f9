package io.github.rpcdiscovery.target;

/**
 * Where the instances of a service come from, as go-zero's client config says it: a static list, an etcd key, or a
 * Kubernetes service.
 */
public sealed interface RpcTarget permits DirectTarget, EtcdTarget, KubernetesTarget {

	/** The source that serves this target: {@code direct}, {@code etcd} or {@code kubernetes}. */
	String source();

	/** The service id this target names by itself, if any (the etcd key, the Kubernetes service). */
	default String impliedServiceId() {
		return null;
	}

}

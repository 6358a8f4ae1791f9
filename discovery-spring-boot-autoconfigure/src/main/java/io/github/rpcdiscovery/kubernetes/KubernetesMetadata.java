package io.github.rpcdiscovery.kubernetes;

import io.github.rpcdiscovery.balancer.NodeTraits;

/**
 * Metadata keys of instances discovered from Kubernetes. {@code zone} is Spring Cloud LoadBalancer's own key, so
 * {@code spring.cloud.loadbalancer.configurations=zone-preference} prefers instances in the caller's zone.
 */
public final class KubernetesMetadata {

	/** The pod's zone ({@code topology.kubernetes.io/zone} of its node), from the EndpointSlice. */
	public static final String ZONE = "zone";

	/**
	 * The zones the EndpointSlice's topology-aware routing hints the endpoint for ({@code hints.forZones}),
	 * comma-separated; the balancer prefers it in those zones.
	 */
	public static final String FOR_ZONES = NodeTraits.FOR_ZONES;

	public static final String NAMESPACE = "kubernetes.namespace";

	/** The Kubernetes Service the instance belongs to. */
	public static final String SERVICE = "kubernetes.service";

	/** The pod's name (the endpoint's {@code targetRef}). */
	public static final String POD = "kubernetes.pod";

	/** The node the pod runs on. */
	public static final String NODE = "kubernetes.node";

	/** The pod's hostname, set for StatefulSet pods behind a headless Service. */
	public static final String HOSTNAME = "kubernetes.hostname";

	/** The name of the port the instance is called on, when the slice names it. */
	public static final String PORT_NAME = "kubernetes.port-name";

	/** {@code IPv4} or {@code IPv6}: the address family of the instance's address. */
	public static final String ADDRESS_TYPE = "kubernetes.address-type";

	private KubernetesMetadata() {
	}

}

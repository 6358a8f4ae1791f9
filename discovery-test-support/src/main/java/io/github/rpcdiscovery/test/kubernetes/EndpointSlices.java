package io.github.rpcdiscovery.test.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

/**
 * Builds EndpointSlices as Kubernetes' EndpointSlice controller writes them: the {@code kubernetes.io/service-name}
 * label, an address type, ports, and endpoints with conditions, a Pod target reference, a node and a zone.
 */
public final class EndpointSlices {

	public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

	private final String namespace;

	private final String service;

	private final String name;

	private String addressType = "IPv4";

	private final List<EndpointPort> ports = new ArrayList<>();

	private final List<Endpoint> endpoints = new ArrayList<>();

	private final Map<String, String> labels = new LinkedHashMap<>();

	private EndpointSlices(String namespace, String service, String name) {
		this.namespace = namespace;
		this.service = service;
		this.name = name;
		this.labels.put(SERVICE_NAME_LABEL, service);
		this.labels.put("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
	}

	/** A slice named {@code name} of Service {@code service}; IPv4 unless {@link #ipv6()}. */
	public static EndpointSlices slice(String namespace, String service, String name) {
		return new EndpointSlices(namespace, service, name);
	}

	public EndpointSlices ipv6() {
		this.addressType = "IPv6";
		return this;
	}

	public EndpointSlices addressType(String addressType) {
		this.addressType = addressType;
		return this;
	}

	public EndpointSlices port(String portName, int port) {
		this.ports.add(new EndpointPortBuilder().withName(portName).withPort(port).withProtocol("TCP").build());
		return this;
	}

	/** A ready endpoint of pod {@code pod} on node {@code node-<pod>} in zone {@code zone-a}. */
	public EndpointSlices ready(String address, String pod) {
		return endpoint(address, pod, "zone-a", true, null, null);
	}

	/** An endpoint whose conditions are all unset: ready, as the API says. */
	public EndpointSlices unknownConditions(String address, String pod) {
		return endpoint(address, pod, "zone-a", null, null, null);
	}

	/** A pod that is running but not ready (failing its readiness probe). */
	public EndpointSlices notReady(String address, String pod) {
		return endpoint(address, pod, "zone-a", false, false, false);
	}

	/** A pod shutting down that still serves in-flight requests: terminating and serving, not ready. */
	public EndpointSlices terminating(String address, String pod) {
		return endpoint(address, pod, "zone-a", false, true, true);
	}

	public EndpointSlices endpoint(String address, String pod, String zone, Boolean ready, Boolean serving,
			Boolean terminating) {
		EndpointBuilder endpoint = new EndpointBuilder().withAddresses(address)
			.withNewConditions()
			.withReady(ready)
			.withServing(serving)
			.withTerminating(terminating)
			.endConditions()
			.withZone(zone);
		if (pod != null) {
			endpoint.withNodeName("node-" + pod)
				.withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
					.withNamespace(this.namespace)
					.withName(pod)
					.withUid("uid-" + pod)
					.build());
		}
		this.endpoints.add(endpoint.build());
		return this;
	}

	/** Adds a raw endpoint, for data a controller would not write. */
	public EndpointSlices endpoint(Endpoint endpoint) {
		this.endpoints.add(endpoint);
		return this;
	}

	public EndpointSlice build() {
		return new EndpointSliceBuilder().withNewMetadata()
			.withNamespace(this.namespace)
			.withName(this.name)
			.withLabels(this.labels)
			.endMetadata()
			.withAddressType(this.addressType)
			.withPorts(this.ports)
			.withEndpoints(this.endpoints)
			.build();
	}

	public String service() {
		return this.service;
	}

}

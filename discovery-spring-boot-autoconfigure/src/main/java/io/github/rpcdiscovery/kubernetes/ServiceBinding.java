package io.github.rpcdiscovery.kubernetes;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties.AddressFamily;
import io.github.rpcdiscovery.target.HostAndPort;
import org.jspecify.annotations.Nullable;

/**
 * One service id's view of a Kubernetes Service: turns all the Service's EndpointSlices into the instances to call.
 * <ul>
 * <li>Every slice counts (go-zero replaces the whole list with the slice that changed, its issue #5659).</li>
 * <li>Only ready endpoints get traffic: {@code ready} true or unset (the API says unset means ready), never
 * terminating; a pod that is only {@code serving} (shutting down, or failing readiness) gets none (go-zero #5647).</li>
 * <li>A pod is one instance, whatever the number of slices it appears in: both families of a dual-stack Service (the
 * preferred family wins), or two slices while the controller moves it between them.</li>
 * <li>The instance id is the pod name, stable for as long as the pod lives (sticky and same-instance balancing keep
 * working); without a pod reference, the target's uid, else {@code host:port}.</li>
 * </ul>
 * Slices are turned into instances once per resource version and reused while unchanged, so an update of one slice of
 * a large Service costs that slice, not the Service. Not thread-safe: its {@link SliceWatch} serialises the calls.
 */
final class ServiceBinding {

	static final String SOURCE = "kubernetes";

	private static final Pattern IPV4 = Pattern
		.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

	private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]+");

	private final String serviceId;

	private final String namespace;

	private final String service;

	private final PortRule portRule;

	private final AddressFamily preferredFamily;

	private final Map<String, CachedSlice> slices = new HashMap<>();

	private Map<String, String> serviceLabels = Map.of();

	ServiceBinding(String serviceId, String namespace, String service, PortRule portRule,
			AddressFamily preferredFamily) {
		this.serviceId = serviceId;
		this.namespace = namespace;
		this.service = service;
		this.portRule = portRule;
		this.preferredFamily = preferredFamily;
	}

	String serviceId() {
		return this.serviceId;
	}

	/** The instances of the Service as these slices describe it, and what was wrong with them. */
	Assembly assemble(Collection<EndpointSlice> current, Map<String, String> labels) {
		if (!labels.equals(this.serviceLabels)) {
			// labels are part of every instance: rebuild all
			this.serviceLabels = Map.copyOf(labels);
			this.slices.clear();
		}
		List<EndpointSlice> sorted = new ArrayList<>(current);
		sorted.sort(Comparator.comparing((EndpointSlice slice) -> slice.getMetadata().getName()));
		Map<String, CachedSlice> next = new HashMap<>();
		Map<String, Candidate> byInstanceId = new LinkedHashMap<>();
		List<Problem> problems = new ArrayList<>();
		for (EndpointSlice slice : sorted) {
			String key = sliceKey(slice);
			CachedSlice cached = this.slices.get(key);
			if (cached == null || !Objects.equals(cached.resourceVersion, slice.getMetadata().getResourceVersion())) {
				cached = build(slice, cached);
			}
			next.put(key, cached);
			if (cached.problem != null) {
				problems.add(cached.problem);
			}
			for (Candidate candidate : cached.candidates.values()) {
				byInstanceId.merge(candidate.instance.getInstanceId(), candidate, this::better);
			}
		}
		this.slices.clear();
		this.slices.putAll(next);
		List<DiscoveredInstance> instances = new ArrayList<>(byInstanceId.size());
		byInstanceId.values().forEach((candidate) -> instances.add(candidate.instance));
		return new Assembly(instances, problems, sorted.size());
	}

	/** Same pod twice: the preferred address family wins, else the first slice (by name). */
	private Candidate better(Candidate first, Candidate second) {
		if (first.family != second.family && second.family == this.preferredFamily) {
			return second;
		}
		return first;
	}

	/**
	 * The candidates of a slice. An endpoint that is the same as in the slice's previous version keeps its instance:
	 * an update of a slice usually changes one endpoint of a hundred.
	 */
	private CachedSlice build(EndpointSlice slice, @Nullable CachedSlice previous) {
		String resourceVersion = slice.getMetadata().getResourceVersion();
		String where = "EndpointSlice " + this.namespace + "/" + slice.getMetadata().getName();
		AddressFamily family = AddressFamily.ofAddressType(slice.getAddressType());
		if (family == null) {
			return CachedSlice.skipped(resourceVersion, Problem.warn(where + " has addressType "
					+ slice.getAddressType() + ", which is not supported (IPv4 and IPv6 are); its endpoints are skipped"));
		}
		List<Endpoint> endpoints = (slice.getEndpoints() != null) ? slice.getEndpoints() : List.of();
		PortRule.Choice port = this.portRule.choose(slice.getPorts());
		if (port.problem() != null) {
			boolean anyReady = endpoints.stream().anyMatch(ServiceBinding::isReady);
			return CachedSlice.skipped(resourceVersion, anyReady ? Problem.error(where + " of Service '"
					+ this.service + "' gives no port for '" + this.serviceId + "': " + port.problem()) : null);
		}
		Map<EndpointKey, Candidate> before = (previous != null) ? previous.candidates : Map.of();
		Map<EndpointKey, Candidate> candidates = new LinkedHashMap<>();
		String badAddress = null;
		for (Endpoint endpoint : endpoints) {
			if (!isReady(endpoint)) {
				continue;
			}
			String address = firstAddress(endpoint);
			EndpointKey key = EndpointKey.of(endpoint, address, port);
			Candidate candidate = before.get(key);
			if (candidate == null) {
				if (address == null || !isValid(address, family)) {
					badAddress = (badAddress != null) ? badAddress : String.valueOf(address);
					continue;
				}
				HostAndPort hostAndPort = new HostAndPort(address, port.port());
				candidate = new Candidate(instance(endpoint, hostAndPort, family, port.name()), family);
			}
			candidates.putIfAbsent(key, candidate);
		}
		Problem problem = (badAddress != null) ? Problem.warn(where + " has an endpoint whose address '" + badAddress
				+ "' is not a valid " + family.addressType() + " address; it is skipped") : null;
		return new CachedSlice(resourceVersion, candidates, problem);
	}

	private DiscoveredInstance instance(Endpoint endpoint, HostAndPort address, AddressFamily family,
			@Nullable String portName) {
		Map<String, String> metadata = new LinkedHashMap<>(this.serviceLabels);
		metadata.put(KubernetesMetadata.NAMESPACE, this.namespace);
		metadata.put(KubernetesMetadata.SERVICE, this.service);
		ObjectReference target = endpoint.getTargetRef();
		String pod = (target != null && "Pod".equals(target.getKind())) ? target.getName() : null;
		putIfPresent(metadata, KubernetesMetadata.POD, pod);
		putIfPresent(metadata, KubernetesMetadata.NODE, endpoint.getNodeName());
		putIfPresent(metadata, KubernetesMetadata.ZONE, endpoint.getZone());
		putIfPresent(metadata, KubernetesMetadata.FOR_ZONES, forZones(endpoint));
		putIfPresent(metadata, KubernetesMetadata.HOSTNAME, endpoint.getHostname());
		putIfPresent(metadata, KubernetesMetadata.PORT_NAME, portName);
		metadata.put(KubernetesMetadata.ADDRESS_TYPE, family.addressType());
		if ("https".equals(portName)) {
			metadata.put("secure", "true");
		}
		return new DiscoveredInstance(this.serviceId, instanceId(target, pod, address), address, SOURCE, metadata);
	}

	/** The zones topology-aware routing hints the endpoint for, comma-separated; {@code null} without hints. */
	static @Nullable String forZones(Endpoint endpoint) {
		if (endpoint.getHints() == null || endpoint.getHints().getForZones() == null
				|| endpoint.getHints().getForZones().isEmpty()) {
			return null;
		}
		return endpoint.getHints()
			.getForZones()
			.stream()
			.map((zone) -> zone.getName())
			.collect(java.util.stream.Collectors.joining(","));
	}

	private static String instanceId(@Nullable ObjectReference target, @Nullable String pod, HostAndPort address) {
		if (pod != null && !pod.isEmpty()) {
			return pod;
		}
		if (target != null && target.getUid() != null && !target.getUid().isEmpty()) {
			return target.getUid();
		}
		return address.toString();
	}

	/** Ready, as the EndpointSlice API defines it: unset means ready; a terminating endpoint never is. */
	static boolean isReady(Endpoint endpoint) {
		EndpointConditions conditions = endpoint.getConditions();
		if (conditions == null) {
			return true;
		}
		if (Boolean.TRUE.equals(conditions.getTerminating())) {
			return false;
		}
		return !Boolean.FALSE.equals(conditions.getReady());
	}

	private static @Nullable String firstAddress(Endpoint endpoint) {
		// the addresses of one endpoint are fungible (the API says so, kube-proxy uses the first)
		List<String> addresses = endpoint.getAddresses();
		return (addresses == null || addresses.isEmpty()) ? null : addresses.get(0);
	}

	/** A literal of the slice's family; never resolved through DNS. */
	static boolean isValid(String address, AddressFamily family) {
		if (family == AddressFamily.IPV4) {
			return IPV4.matcher(address).matches();
		}
		if (!IPV6_CHARACTERS.matcher(address).matches() || address.indexOf(':') < 0) {
			return false;
		}
		try {
			// a string of hex digits and colons is parsed as a literal, without a lookup
			return InetAddress.getByName(address) instanceof Inet6Address;
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static String sliceKey(EndpointSlice slice) {
		String uid = slice.getMetadata().getUid();
		return (uid != null) ? uid : slice.getMetadata().getName();
	}

	private static void putIfPresent(Map<String, String> metadata, String key, @Nullable String value) {
		if (value != null && !value.isEmpty()) {
			metadata.put(key, value);
		}
	}

	/**
	 * @param instances the instances, one per pod
	 * @param problems what is wrong with the slices
	 * @param slices how many slices there were
	 */
	record Assembly(List<DiscoveredInstance> instances, List<Problem> problems, int slices) {

	}

	/**
	 * Something wrong with a slice, logged once: an error when the configuration cannot work with the Service (no
	 * port to call), a warning for data that is skipped.
	 */
	record Problem(boolean error, String message) {

		static Problem error(String message) {
			return new Problem(true, message);
		}

		static Problem warn(String message) {
			return new Problem(false, message);
		}

	}

	private record Candidate(DiscoveredInstance instance, AddressFamily family) {

	}

	/** Everything of an endpoint its instance is made of (the family and the labels are the slice's and the Service's). */
	private record EndpointKey(@Nullable String address, int port, @Nullable String portName,
			@Nullable String targetKind, @Nullable String targetName, @Nullable String targetUid, @Nullable String node,
			@Nullable String zone, @Nullable String hostname, @Nullable String forZones) {

		static EndpointKey of(Endpoint endpoint, @Nullable String address, PortRule.Choice port) {
			ObjectReference target = endpoint.getTargetRef();
			return new EndpointKey(address, port.port(), port.name(), (target != null) ? target.getKind() : null,
					(target != null) ? target.getName() : null, (target != null) ? target.getUid() : null,
					endpoint.getNodeName(), endpoint.getZone(), endpoint.getHostname(), ServiceBinding.forZones(endpoint));
		}

	}

	private record CachedSlice(@Nullable String resourceVersion, Map<EndpointKey, Candidate> candidates,
			@Nullable Problem problem) {

		static CachedSlice skipped(@Nullable String resourceVersion, @Nullable Problem problem) {
			return new CachedSlice(resourceVersion, Map.of(), problem);
		}

	}

}

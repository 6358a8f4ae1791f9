package io.github.rpcdiscovery.grpc.resolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.rpcdiscovery.balancer.InstanceWeight;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.target.HostAndPort;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;


/**
 * Turns a service's instances into gRPC address groups, one per distinct {@code host:port}, each tagged with that
 * text ({@link #NODE_ID}) so the balancer keeps what it learnt about an address under the name discovery gave it.
 * Registries hold IP addresses (go-zero registers IPs, EndpointSlices list IPs); a host name is looked up here, so
 * this runs off the channel's synchronization context.
 */
public final class AddressGroups {

	/** The registered {@code host:port} of an address group: the balancer's node identity. */
	public static final Attributes.Key<String> NODE_ID = Attributes.Key.create("io.github.rpcdiscovery.node-id");

	/** The instance's weight from its metadata ({@link InstanceWeight}). */
	public static final Attributes.Key<Integer> WEIGHT = Attributes.Key.create("io.github.rpcdiscovery.weight");

	/** The instance's metadata (zone, version, Kubernetes hints), for routing. */
	public static final Attributes.Key<Map<String, String>> METADATA = Attributes.Key
		.create("io.github.rpcdiscovery.metadata");

	private static final Log logger = LogFactory.getLog(AddressGroups.class);

	private AddressGroups() {
	}

	/**
	 * The address groups of the instances, in order; an instance whose host cannot be resolved is skipped, with a
	 * WARN the first time.
	 * @param instances the instances
	 * @param unresolvable hosts already warned about; updated
	 */
	public static List<EquivalentAddressGroup> of(List<DiscoveredInstance> instances, Set<String> unresolvable) {
		return of(instances, unresolvable, InetAddress::getByName);
	}

	/** As {@link #of(List, Set)}, looking host names up with the given lookup. */
	static List<EquivalentAddressGroup> of(List<DiscoveredInstance> instances, Set<String> unresolvable,
			HostLookup lookup) {
		Set<String> seen = new LinkedHashSet<>();
		List<EquivalentAddressGroup> groups = new ArrayList<>(instances.size());
		for (DiscoveredInstance instance : instances) {
			HostAndPort address = instance.getAddress();
			String id = address.toString();
			if (!seen.add(id)) {
				continue;
			}
			InetSocketAddress socket = resolve(address, unresolvable, lookup);
			if (socket != null) {
				groups.add(new EquivalentAddressGroup(socket, Attributes.newBuilder()
					.set(NODE_ID, id)
					.set(WEIGHT, InstanceWeight.of(instance.getMetadata()))
					.set(METADATA, Map.copyOf(instance.getMetadata()))
					.build()));
			}
		}
		return groups;
	}

	private static @Nullable InetSocketAddress resolve(HostAndPort address, Set<String> unresolvable,
			HostLookup lookup) {
		try {
			// an IP literal is parsed, not looked up
			InetSocketAddress resolved = new InetSocketAddress(lookup.lookup(address.host()), address.port());
			unresolvable.remove(address.host());
			return resolved;
		}
		catch (UnknownHostException ex) {
			if (unresolvable.add(address.host())) {
				logger.warn("Instance " + address + " is skipped: its host name does not resolve (" + ex.getMessage()
						+ ")");
			}
			return null;
		}
	}

	/** How a host name becomes an address: {@link InetAddress#getByName}, or a test's own. */
	@FunctionalInterface
	interface HostLookup {

		InetAddress lookup(String host) throws UnknownHostException;

	}

}

package io.github.rpcdiscovery.grpc.client;

import java.util.function.Predicate;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.grpc.GrpcProperties;
import io.github.rpcdiscovery.grpc.resolver.GrpcTarget;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.grpc.resolver.CatalogNameResolverProvider;
import io.grpc.ManagedChannelBuilder;

import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;
import org.springframework.grpc.client.VirtualTargets;

/**
 * Prepares every Spring gRPC channel whose address is one of this starter's targets:
 * <ul>
 * <li>checks the target when the channel is created, so a wrong one fails there with a message that names the
 * property and the fix (grpc-java fails go-zero's legacy multi-host form before any resolver sees it, with "Could not
 * find a NameResolverProvider");</li>
 * <li>resolves it through this application's discovery (the resolvers are registered JVM-wide);</li>
 * <li>makes {@code rpc.grpc.load-balancing-policy} (p2c_ewma) its default policy unless the channel names one;</li>
 * <li>adds go-zero's {@code app}/{@code token} metadata when {@code rpc.grpc.channels.<name>} has them (any
 * channel).</li>
 * </ul>
 * It runs after Spring gRPC's own property customizer, which always sets a default policy (round_robin).
 *
 * @param <T> the channel builder type
 */
public final class DiscoveryChannelCustomizer<T extends ManagedChannelBuilder<T>>
		implements GrpcChannelBuilderCustomizer<T> {

	/** After Spring gRPC's ClientPropertiesChannelBuilderCustomizer (order 0) and its codec customizers. */
	public static final int ORDER = 100;

	private final VirtualTargets targets;

	private final ServiceDiscovery discovery;

	private final GrpcProperties properties;

	private final Predicate<String> policyConfigured;

	/**
	 * @param targets Spring gRPC's channel names to addresses
	 * @param discovery this application's discovery, which its channels resolve through
	 * @param properties this starter's gRPC settings
	 * @param policyConfigured whether a channel name has an explicit default-load-balancing-policy
	 */
	public DiscoveryChannelCustomizer(VirtualTargets targets, ServiceDiscovery discovery, GrpcProperties properties,
			Predicate<String> policyConfigured) {
		this.targets = targets;
		this.discovery = discovery;
		this.properties = properties;
		this.policyConfigured = policyConfigured;
	}

	@Override
	public void customize(String name, T builder) {
		GrpcProperties.Channel auth = this.properties.channels().get(name);
		if (auth != null && (auth.app() != null || auth.token() != null)) {
			builder.intercept(new GoZeroAuthInterceptor(auth.app(), auth.token()));
		}
		String address = this.targets.getTarget(name);
		if (!GrpcTarget.isResolvedHere(address)) {
			return;
		}
		try {
			GrpcTarget.parse(address, this.discovery.plan());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRpcPropertyException(addressProperty(name, address), address, ex.getMessage(),
					"write the address as one of discovery:///<service-id>, etcd:///host:2379,host:2379?key=<key>,"
							+ " discov:///?key=<key>, direct:///host:port,host:port, k8s://namespace/service:port");
		}
		// this application's catalog, whichever application registered the scheme's resolver first
		builder.setNameResolverArg(CatalogNameResolverProvider.DISCOVERY, this.discovery);
		if (!this.policyConfigured.test(name)) {
			builder.defaultLoadBalancingPolicy(this.properties.loadBalancingPolicy());
		}
	}

	private static String addressProperty(String name, String address) {
		return name.equals(address) ? "gRPC channel target" : "spring.grpc.client.channels." + name + ".address";
	}

}

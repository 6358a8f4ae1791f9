package io.github.rpcdiscovery.grpc.balancer;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import io.github.rpcdiscovery.balancer.Balancer;
import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.NanoClock;
import io.github.rpcdiscovery.balancer.NodeTable;
import io.github.rpcdiscovery.balancer.P2cEwmaPicker;
import io.github.rpcdiscovery.balancer.RoutingSettings;
import io.github.rpcdiscovery.balancer.EjectionLogger;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver.ConfigOrError;

/**
 * The {@code p2c_ewma} load-balancing policy (go-zero's default), service-loaded by grpc-java: any channel may name it
 * with {@code defaultLoadBalancingPolicy("p2c_ewma")} or in its service config
 * ({@code "loadBalancingConfig": [{"p2c_ewma": {}}]}). It takes no configuration.
 */
public final class P2cEwmaLoadBalancerProvider extends LoadBalancerProvider {

	/** The policy name, go-zero's. */
	public static final String POLICY = "p2c_ewma";

	private static final ConfigOrError NO_CONFIG = ConfigOrError.fromConfig(Map.of());

	private final BalancerSettings settings;

	private final int priority;

	private final RoutingSettings.Source routing;

	/** The service-loaded provider: go-zero's constants, grpc-java's usual priority. */
	public P2cEwmaLoadBalancerProvider() {
		this(BalancerSettings.defaults(), 5);
	}

	/**
	 * A provider with an application's settings, registered by the auto-configuration with a priority above the
	 * service-loaded one's.
	 */
	public P2cEwmaLoadBalancerProvider(BalancerSettings settings, int priority) {
		this(settings, RoutingSettings.Source.of(RoutingSettings.defaults()), priority);
	}

	/**
	 * A provider with an application's settings and routing (by the channel's authority: the service id), registered
	 * by the auto-configuration with a priority above the service-loaded one's.
	 */
	public P2cEwmaLoadBalancerProvider(BalancerSettings settings, RoutingSettings.Source routing, int priority) {
		this.settings = settings;
		this.priority = priority;
		this.routing = routing;
	}

	@Override
	public boolean isAvailable() {
		return true;
	}

	@Override
	public int getPriority() {
		return this.priority;
	}

	@Override
	public String getPolicyName() {
		return POLICY;
	}

	@Override
	public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
		NodeTable table = new NodeTable(this.settings, NanoClock.SYSTEM,
				new EjectionLogger(helper.getAuthority()));
		// ThreadLocalRandom's methods use the calling thread's generator: one instance serves every picking thread
		return newLoadBalancer(helper, table, ThreadLocalRandom.current(),
				this.routing.forService(helper.getAuthority()));
	}

	/** Over a given table (its settings and clock), for tests. */
	static P2cEwmaLoadBalancer newLoadBalancer(LoadBalancer.Helper helper, NodeTable table, RandomGenerator random) {
		return newLoadBalancer(helper, table, random, RoutingSettings.defaults());
	}

	static P2cEwmaLoadBalancer newLoadBalancer(LoadBalancer.Helper helper, NodeTable table, RandomGenerator random,
			RoutingSettings routing) {
		return new P2cEwmaLoadBalancer(helper,
				new Balancer<>(table, new P2cEwmaPicker(table.clock(), random), ReadyNode::nodeId,
						ReadyNode::weight, ReadyNode::metadata, routing, random));
	}

	@Override
	public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
		return NO_CONFIG;
	}

}

package io.github.rpcdiscovery.loadbalancer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.BalancingPolicy;
import io.github.rpcdiscovery.balancer.NanoClock;
import io.github.rpcdiscovery.balancer.RoutingSettings;

/**
 * Every service's {@link ServiceBalancer}, created on a service's first call, and the read API over their state.
 * One per application: Spring Cloud's per-service child contexts take their balancer from here.
 */
public final class ServiceBalancers {

	private final Map<String, ServiceBalancer> balancers = new ConcurrentHashMap<>();

	private final Function<String, BalancingPolicy> policies;

	private final BalancerSettings settings;

	private final NanoClock clock;

	private final RandomGenerator random;

	private final RoutingSettings.Source routing;

	private final List<Consumer<ServiceBalancer>> creationListeners = new CopyOnWriteArrayList<>();

	public ServiceBalancers(Function<String, BalancingPolicy> policies, BalancerSettings settings, NanoClock clock,
			RandomGenerator random) {
		this(policies, settings, RoutingSettings.Source.of(RoutingSettings.defaults()), clock, random);
	}

	public ServiceBalancers(Function<String, BalancingPolicy> policies, BalancerSettings settings,
			RoutingSettings.Source routing, NanoClock clock, RandomGenerator random) {
		this.routing = routing;
		this.policies = policies;
		this.settings = settings;
		this.clock = clock;
		this.random = random;
	}

	/** The balancer of a service, created on first use with the policy configured for it. */
	public ServiceBalancer forService(String serviceId) {
		ServiceBalancer existing = this.balancers.get(serviceId);
		if (existing != null) {
			return existing;
		}
		boolean[] created = new boolean[1];
		ServiceBalancer balancer = this.balancers.computeIfAbsent(serviceId, (id) -> {
			created[0] = true;
			return new ServiceBalancer(id, this.policies.apply(id), this.settings, this.routing.forService(id),
					this.clock, this.random);
		});
		if (created[0]) {
			this.creationListeners.forEach((listener) -> listener.accept(balancer));
		}
		return balancer;
	}

	/** Tells {@code listener} about every balancer: those created so far at once, the others when created. */
	public void onBalancer(Consumer<ServiceBalancer> listener) {
		this.creationListeners.add(listener);
		this.balancers.values().forEach(listener);
	}

	/** The state of every service called so far, by service id. */
	public List<ServiceBalancerState> states() {
		return this.balancers.values()
			.stream()
			.map(ServiceBalancer::state)
			.sorted((a, b) -> a.serviceId().compareTo(b.serviceId()))
			.toList();
	}

	/** The state of one service, if it has been called. */
	public Optional<ServiceBalancerState> state(String serviceId) {
		return Optional.ofNullable(this.balancers.get(serviceId)).map(ServiceBalancer::state);
	}

}

package io.github.rpcdiscovery.loadbalancer;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

import io.github.rpcdiscovery.balancer.Balancer;
import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.BalancingPolicy;
import io.github.rpcdiscovery.balancer.EjectionListener;
import io.github.rpcdiscovery.balancer.EjectionLogger;
import io.github.rpcdiscovery.balancer.InstanceWeight;
import io.github.rpcdiscovery.balancer.NanoClock;
import io.github.rpcdiscovery.balancer.NodeStats;
import io.github.rpcdiscovery.balancer.NodeTable;
import io.github.rpcdiscovery.balancer.Outcome;
import io.github.rpcdiscovery.balancer.RoutingSettings;
import io.github.rpcdiscovery.balancer.ZonePicks;
import io.github.rpcdiscovery.cloud.SpringCloudInstances;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The balancer of one service: picks an instance and hears how each call to it ended. It outlives Spring Cloud's
 * per-service child contexts, so what it learnt survives a context refresh; nodes are named by {@code host:port}, so
 * what it learnt survives instance list changes.
 */
public final class ServiceBalancer {

	private final String serviceId;

	private final BalancingPolicy policy;

	private final Balancer<ServiceInstance> balancer;

	private final CallTracker calls;

	private final LongAdder picks = new LongAdder();

	private final LongAdder ejections = new LongAdder();

	ServiceBalancer(String serviceId, BalancingPolicy policy, BalancerSettings settings, NanoClock clock,
			RandomGenerator random) {
		this(serviceId, policy, settings, RoutingSettings.defaults(), clock, random);
	}

	ServiceBalancer(String serviceId, BalancingPolicy policy, BalancerSettings settings, RoutingSettings routing,
			NanoClock clock, RandomGenerator random) {
		this.serviceId = serviceId;
		this.policy = policy;
		NodeTable table = new NodeTable(settings, clock, new CountingEjections(new EjectionLogger(serviceId)));
		this.balancer = new Balancer<>(table, policy.newPicker(clock, random), ServiceBalancer::nodeId,
				(instance) -> InstanceWeight.of(instance.getMetadata()), ServiceInstance::getMetadata, routing,
				random);
		this.calls = new CallTracker(this.balancer, clock, CallTracker.ABANDON_AFTER);
	}

	public String serviceId() {
		return this.serviceId;
	}

	public BalancingPolicy policy() {
		return this.policy;
	}

	/** One of the instances, or {@code null} if there are none. */
	public @Nullable ServiceInstance pick(List<ServiceInstance> instances) {
		return pick(instances, null);
	}

	/**
	 * One of the instances, routed by the call's hint (see {@link Balancer#pick(List, String)}), or {@code null} if
	 * there is none to take the call.
	 */
	public @Nullable ServiceInstance pick(List<ServiceInstance> instances, @Nullable String hint) {
		ServiceInstance picked = this.balancer.pick(instances, hint);
		if (picked != null) {
			this.picks.increment();
		}
		return picked;
	}

	/** Instances picked since startup, for metrics. */
	public long picks() {
		return this.picks.sum();
	}

	/** Picks by the zone of the instance picked, and the caller's zone, for metrics. */
	public ZonePicks zonePicks() {
		return this.balancer.zonePicks();
	}

	/** The share of calls that currently leaves the caller's zone, 0 to 1. */
	public double spill() {
		return this.balancer.spill();
	}

	/** Ejections since startup (each ejection of each node, the longer ones of an outage included), for metrics. */
	public long ejections() {
		return this.ejections.sum();
	}

	/** A call to an instance starts; {@code request} identifies the call until {@link #callEnded}. */
	public void callStarted(Object request, ServiceInstance instance) {
		this.calls.started(request, instance);
	}

	public void callEnded(Object request, Outcome outcome) {
		this.calls.completed(request, outcome);
	}

	public ServiceBalancerState state() {
		return new ServiceBalancerState(this.serviceId, this.policy.value(), this.balancer.states());
	}

	CallTracker calls() {
		return this.calls;
	}

	/** Counts ejections, then lets the logger say them. */
	private final class CountingEjections implements EjectionListener {

		private final EjectionListener delegate;

		CountingEjections(EjectionListener delegate) {
			this.delegate = delegate;
		}

		@Override
		public void ejected(NodeStats node, Outcome cause, int ejections, long nanos) {
			ServiceBalancer.this.ejections.increment();
			this.delegate.ejected(node, cause, ejections, nanos);
		}

		@Override
		public void readmitted(NodeStats node, long outageNanos) {
			this.delegate.readmitted(node, outageNanos);
		}

	}

	/** {@code host:port}, the node identity: what was learnt about an address stays with the address. */
	static String nodeId(ServiceInstance instance) {
		DiscoveredInstance discovered = SpringCloudInstances.unwrap(instance);
		if (discovered != null) {
			return discovered.getAddress().toString();
		}
		String host = instance.getHost();
		return (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]:" + instance.getPort()
				: host + ":" + instance.getPort();
	}

}

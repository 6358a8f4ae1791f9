package io.github.rpcdiscovery.loadbalancer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.balancer.Balancer;
import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.BalancingPolicy;
import io.github.rpcdiscovery.balancer.EjectionListener;
import io.github.rpcdiscovery.balancer.NanoClock;
import io.github.rpcdiscovery.balancer.NodeStats;
import io.github.rpcdiscovery.balancer.NodeTable;
import io.github.rpcdiscovery.balancer.Outcome;
import io.github.rpcdiscovery.cloud.SpringCloudInstances;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.target.HostAndPort;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultRequestContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Start and end of each call are paired by request identity; calls that never end are let go after a while. */
class CallTrackerTest {

	private long now = 1_000_000_000_000L;

	private final NanoClock clock = () -> this.now;

	private final Balancer<ServiceInstance> balancer = new Balancer<>(
			new NodeTable(BalancerSettings.defaults(), this.clock, EjectionListener.NONE),
			BalancingPolicy.P2C.newPicker(this.clock, new java.util.SplittableRandom(1)), ServiceBalancer::nodeId);

	private final CallTracker tracker = new CallTracker(this.balancer, this.clock, Duration.ofSeconds(30));

	private final ServiceInstance instance = SpringCloudInstances
		.instance(new DiscoveredInstance("svc", HostAndPort.parse("127.0.0.1:8080"), "direct", Map.of()));

	private final NodeStats node = this.balancer.statsOf(this.instance);

	@Test
	void aCallTeachesItsLatencyAndFreesItsSlot() {
		Object request = new DefaultRequest<>();
		this.tracker.started(request, this.instance);
		assertThat(this.node.inflight()).isEqualTo(1);
		this.now += 20_000_000;
		this.tracker.completed(request, Outcome.SUCCESS);
		assertThat(this.node.inflight()).isZero();
		assertThat(this.node.lagNanos()).isEqualTo(20_000_000);
		assertThat(this.tracker.openCalls()).isZero();
	}

	@Test
	void equalRequestsAreDifferentCalls() {
		DefaultRequest<DefaultRequestContext> first = new DefaultRequest<>(new DefaultRequestContext("same"));
		DefaultRequest<DefaultRequestContext> second = new DefaultRequest<>(new DefaultRequestContext("same"));
		assertThat(first).isEqualTo(second);
		this.tracker.started(first, this.instance);
		this.tracker.started(second, this.instance);
		this.tracker.completed(first, Outcome.SUCCESS);
		assertThat(this.node.inflight()).isEqualTo(1);
	}

	@Test
	void aCallThatNeverEndsIsLetGoAfterThirtySeconds() {
		Object cancelled = new Object();
		this.tracker.started(cancelled, this.instance);
		this.now += Duration.ofSeconds(29).toNanos();
		this.tracker.started(new Object(), this.instance);
		assertThat(this.node.inflight()).isEqualTo(2);
		this.now += Duration.ofSeconds(2).toNanos();
		this.tracker.started(new Object(), this.instance); // the sweep runs at most once a second, on a start
		assertThat(this.node.inflight()).isEqualTo(2);
		assertThat(this.tracker.openCalls()).isEqualTo(2);
		this.tracker.completed(cancelled, Outcome.FAILURE); // too late: nothing to learn from it
		assertThat(this.node.state(this.now, true).calls()).isZero();
	}

	@Test
	void theSameRequestStartingAgainEndsItsEarlierAttempt() {
		Object request = new Object();
		this.tracker.started(request, this.instance);
		this.tracker.started(request, this.instance);
		assertThat(this.node.inflight()).isEqualTo(1);
	}

	@Test
	void callsToInstancesOfAnOlderListStillCount() {
		ServiceInstance other = SpringCloudInstances
			.instance(new DiscoveredInstance("svc", HostAndPort.parse("127.0.0.2:8080"), "direct", Map.of()));
		this.balancer.pick(List.of(this.instance));
		Object request = new Object();
		this.tracker.started(request, other);
		this.tracker.completed(request, Outcome.CONNECT_FAILURE);
		assertThat(this.balancer.statsOf(other).isEjected(this.now)).isTrue();
	}

}

package io.github.rpcdiscovery.grpc.balancer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.EjectionListener;
import io.github.rpcdiscovery.balancer.NodeStats;
import io.github.rpcdiscovery.balancer.NodeTable;
import io.github.rpcdiscovery.balancer.Outcome;
import io.github.rpcdiscovery.grpc.resolver.AddressGroups;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.ResolvedAddresses;
import io.grpc.LoadBalancerRegistry;
import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class P2cEwmaLoadBalancerTest {

	private final AtomicLong now = new AtomicLong(5_000_000_000_000L);

	private final NodeTable table = new NodeTable(BalancerSettings.defaults(), this.now::get, EjectionListener.NONE);

	private final FakeHelper helper = new FakeHelper();

	private final P2cEwmaLoadBalancer balancer = P2cEwmaLoadBalancerProvider.newLoadBalancer(this.helper, this.table,
			new Random(42));

	@Test
	void isServiceLoadedUnderGoZerosName() {
		assertThat(LoadBalancerRegistry.getDefaultRegistry().getProvider("p2c_ewma"))
			.isInstanceOf(P2cEwmaLoadBalancerProvider.class);
	}

	@Test
	void connectsEveryAddressAndPicksOnlyReadyOnes() {
		accept("127.0.0.1:9001", "127.0.0.2:9002");
		assertThat(this.helper.subchannels).hasSize(2)
			.allSatisfy((subchannel) -> assertThat(subchannel.connectionRequests).isEqualTo(1));
		assertThat(this.helper.state()).isEqualTo(ConnectivityState.CONNECTING);
		assertThat(pick().hasResult()).isFalse();
		this.helper.subchannel("127.0.0.2:9002").moveTo(ConnectivityState.READY);
		assertThat(this.helper.state()).isEqualTo(ConnectivityState.READY);
		for (int i = 0; i < 20; i++) {
			assertThat(pick().getSubchannel()).isSameAs(this.helper.subchannel("127.0.0.2:9002"));
		}
	}

	@Test
	void keepsSubchannelsAndStatisticsAcrossAddressUpdates() {
		accept("127.0.0.1:9001", "127.0.0.2:9002");
		readyAll();
		FakeHelper.FakeSubchannel first = this.helper.subchannel("127.0.0.1:9001");
		call(first, Duration.ofMillis(80), Status.OK);
		NodeStats before = this.table.find("127.0.0.1:9001");
		accept("127.0.0.1:9001", "127.0.0.2:9002", "127.0.0.3:9003");
		assertThat(this.helper.subchannels).hasSize(3);
		assertThat(this.helper.subchannel("127.0.0.1:9001")).isSameAs(first);
		assertThat(first.shutdown).isFalse();
		assertThat(this.table.find("127.0.0.1:9001")).isSameAs(before);
		assertThat(before.lagNanos()).isEqualTo(Duration.ofMillis(80).toNanos());
	}

	@Test
	void aNodeThatLeavesAndComesBackIsRecognised() {
		accept("127.0.0.1:9001", "127.0.0.2:9002");
		readyAll();
		call(this.helper.subchannel("127.0.0.1:9001"), Duration.ofMillis(50), Status.UNAVAILABLE);
		accept("127.0.0.2:9002");
		assertThat(this.helper.subchannels.get(0).shutdown).isTrue();
		accept("127.0.0.1:9001", "127.0.0.2:9002");
		assertThat(this.table.find("127.0.0.1:9001").success()).isLessThan(BalancerSettings.INITIAL_SUCCESS);
	}

	@Test
	void anIdleSubchannelReconnectsOnlyWhenACallNeedsIt() {
		accept("127.0.0.1:9001");
		FakeHelper.FakeSubchannel subchannel = this.helper.subchannel("127.0.0.1:9001");
		subchannel.moveTo(ConnectivityState.READY);
		// a go-zero server closes connections idle for 5 minutes: a client that makes no call stays disconnected
		subchannel.moveTo(ConnectivityState.IDLE);
		assertThat(subchannel.connectionRequests).isEqualTo(1);
		assertThat(this.helper.state()).isEqualTo(ConnectivityState.IDLE);
		// the next call waits for the connection it asks for
		assertThat(pick().hasResult()).isFalse();
		assertThat(subchannel.connectionRequests).isEqualTo(2);
		pick();
		assertThat(subchannel.connectionRequests).as("asked once per picker").isEqualTo(2);
	}

	@Test
	void anIdleSubchannelNextToAReadyOneReconnectsOnTheNextCall() {
		accept("127.0.0.1:9001", "127.0.0.2:9002");
		readyAll();
		FakeHelper.FakeSubchannel idle = this.helper.subchannel("127.0.0.2:9002");
		idle.moveTo(ConnectivityState.IDLE);
		assertThat(idle.connectionRequests).isEqualTo(1);
		assertThat(this.helper.state()).isEqualTo(ConnectivityState.READY);
		assertThat(pick().getSubchannel()).isSameAs(this.helper.subchannel("127.0.0.1:9001"));
		assertThat(idle.connectionRequests).isEqualTo(2);
	}

	@Test
	void staysInTransientFailureWhileFailedSubchannelsRetryUntilOneIsReady() {
		accept("127.0.0.1:9001", "127.0.0.2:9002");
		FakeHelper.FakeSubchannel first = this.helper.subchannel("127.0.0.1:9001");
		FakeHelper.FakeSubchannel second = this.helper.subchannel("127.0.0.2:9002");
		first.fail(Status.UNAVAILABLE.withDescription("connection refused"));
		second.fail(Status.UNAVAILABLE.withDescription("connection refused"));
		assertThat(this.helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
		int published = this.helper.states.size();
		// the subchannels retry after their back-off: calls keep failing fast instead of queueing
		first.moveTo(ConnectivityState.CONNECTING);
		second.moveTo(ConnectivityState.IDLE);
		assertThat(this.helper.states.subList(published, this.helper.states.size()))
			.doesNotContain(ConnectivityState.CONNECTING, ConnectivityState.IDLE);
		assertThat(pick().getStatus().getDescription()).isEqualTo("connection refused");
		assertThat(second.connectionRequests).as("a failed subchannel that went idle retries").isEqualTo(2);
		first.moveTo(ConnectivityState.READY);
		assertThat(this.helper.state()).isEqualTo(ConnectivityState.READY);
		assertThat(pick().getSubchannel()).isSameAs(first);
	}

	@Test
	void reportsTheLastConnectionFailureWhenNothingConnects() {
		accept("127.0.0.1:9001");
		this.helper.subchannel("127.0.0.1:9001").fail(Status.UNAVAILABLE.withDescription("connection refused"));
		assertThat(this.helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
		assertThat(pick().getStatus().getDescription()).isEqualTo("connection refused");
		assertThat(this.helper.refreshes).isEqualTo(1);
	}

	@Test
	void anEmptyListRemovesEverySubchannel() {
		accept("127.0.0.1:9001");
		readyAll();
		Status status = this.balancer.acceptResolvedAddresses(ResolvedAddresses.newBuilder()
			.setAddresses(List.of())
			.build());
		assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(this.helper.subchannels.get(0).shutdown).isTrue();
		assertThat(this.helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
		assertThat(pick().getStatus().getDescription()).contains("no instance of orders");
	}

	@Test
	void aResolutionErrorKeepsWorkingSubchannels() {
		accept("127.0.0.1:9001");
		readyAll();
		this.balancer.handleNameResolutionError(Status.UNAVAILABLE.withDescription("registry down"));
		assertThat(this.helper.state()).isEqualTo(ConnectivityState.READY);
		assertThat(pick().hasResult()).isTrue();
	}

	@Test
	void shutdownClosesEverySubchannel() {
		accept("127.0.0.1:9001", "127.0.0.2:9002");
		this.balancer.shutdown();
		assertThat(this.helper.subchannels).allSatisfy((subchannel) -> assertThat(subchannel.shutdown).isTrue());
	}

	@Test
	void slowAndFailingNodesLoseTraffic() {
		accept("127.0.0.1:9001", "127.0.0.2:9002", "127.0.0.3:9003");
		readyAll();
		Map<String, Duration> latency = Map.of("127.0.0.1:9001", Duration.ofMillis(5), "127.0.0.2:9002",
				Duration.ofMillis(100), "127.0.0.3:9003", Duration.ofMillis(5));
		Map<String, Integer> picks = new HashMap<>();
		for (int i = 0; i < 3000; i++) {
			PickResult chosen = pick();
			String id = P2cEwmaLoadBalancer.nodeId(chosen.getSubchannel().getAddresses());
			picks.merge(id, 1, Integer::sum);
			Status status = id.equals("127.0.0.3:9003") ? Status.UNAVAILABLE : Status.OK;
			call(chosen, latency.get(id), status);
			this.now.addAndGet(Duration.ofMillis(1).toNanos());
		}
		// a fair share is 1000 each: the fast healthy node takes most; the slow node gets what p2c gives it when the
		// ejected failing node is the other half of every draw; the failing one only its probes
		assertThat(picks.get("127.0.0.1:9001")).as(picks.toString()).isGreaterThan(2000);
		assertThat(picks.getOrDefault("127.0.0.2:9002", 0)).as(picks.toString()).isLessThan(500);
		assertThat(picks.getOrDefault("127.0.0.3:9003", 0)).as(picks.toString()).isLessThan(300);
	}

	@Test
	void theResolversWeightsShareTheCalls() {
		Map<String, Integer> weights = Map.of("127.0.0.1:9001", 1, "127.0.0.2:9002", 2, "127.0.0.3:9003", 4);
		List<EquivalentAddressGroup> groups = new ArrayList<>();
		for (Map.Entry<String, Integer> entry : weights.entrySet()) {
			String[] hostPort = entry.getKey().split(":");
			groups.add(new EquivalentAddressGroup(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])),
					Attributes.newBuilder()
						.set(AddressGroups.NODE_ID, entry.getKey())
						.set(AddressGroups.WEIGHT, entry.getValue())
						.build()));
		}
		assertThat(this.balancer.acceptResolvedAddresses(ResolvedAddresses.newBuilder().setAddresses(groups).build())
			.isOk()).isTrue();
		readyAll();
		Map<String, Integer> picks = new HashMap<>();
		for (int i = 0; i < 7000; i++) { // one call after another, equal latencies
			PickResult chosen = pick();
			picks.merge(P2cEwmaLoadBalancer.nodeId(chosen.getSubchannel().getAddresses()), 1, Integer::sum);
			call(chosen, Duration.ofMillis(2), Status.OK);
		}
		weights.forEach((id, weight) -> assertThat(picks.get(id)).as(picks.toString())
			.isBetween((int) (weight * 1000 * 0.95), (int) (weight * 1000 * 1.05)));
	}

	@ParameterizedTest
	@EnumSource(Status.Code.class)
	void failsExactlyOnGoZerosCodes(Status.Code code) {
		List<Status.Code> failures = List.of(Status.Code.DEADLINE_EXCEEDED, Status.Code.INTERNAL,
				Status.Code.UNAVAILABLE, Status.Code.DATA_LOSS, Status.Code.UNIMPLEMENTED,
				Status.Code.RESOURCE_EXHAUSTED);
		assertThat(CallOutcomeTracer.outcome(code))
			.isEqualTo(failures.contains(code) ? Outcome.FAILURE : Outcome.SUCCESS);
	}

	@Test
	void aCancelledCallTeachesNothing() {
		accept("127.0.0.1:9001");
		readyAll();
		call(this.helper.subchannel("127.0.0.1:9001"), Duration.ofMillis(10), Status.CANCELLED);
		NodeStats node = this.table.find("127.0.0.1:9001");
		assertThat(node.inflight()).isZero();
		assertThat(node.state(this.now.get(), true).calls()).isZero();
	}

	private void accept(String... addresses) {
		List<EquivalentAddressGroup> groups = new ArrayList<>();
		for (String address : addresses) {
			String[] hostPort = address.split(":");
			groups.add(new EquivalentAddressGroup(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])),
					Attributes.newBuilder().set(AddressGroups.NODE_ID, address).build()));
		}
		Status status = this.balancer
			.acceptResolvedAddresses(ResolvedAddresses.newBuilder().setAddresses(groups).build());
		assertThat(status.isOk()).isTrue();
	}

	private void readyAll() {
		for (FakeHelper.FakeSubchannel subchannel : List.copyOf(this.helper.subchannels)) {
			if (!subchannel.shutdown) {
				subchannel.moveTo(ConnectivityState.READY);
			}
		}
	}

	private PickResult pick() {
		return this.helper.picker.pickSubchannel(NO_HINT);
	}

	/** A call without a route hint, as the channel describes it to the picker. */
	private static final io.grpc.LoadBalancer.PickSubchannelArgs NO_HINT = new io.grpc.LoadBalancer.PickSubchannelArgs() {

		@Override
		public io.grpc.CallOptions getCallOptions() {
			return io.grpc.CallOptions.DEFAULT;
		}

		@Override
		public io.grpc.Metadata getHeaders() {
			return new io.grpc.Metadata();
		}

		@Override
		public io.grpc.MethodDescriptor<?, ?> getMethodDescriptor() {
			return null;
		}

	};

	/** A call on the subchannel as the channel makes it: a stream traced through the pick's tracer factory. */
	private void call(LoadBalancer.Subchannel subchannel, Duration latency, Status status) {
		PickResult result = null;
		for (int i = 0; i < 100 && (result == null || result.getSubchannel() != subchannel); i++) {
			result = pick();
		}
		assertThat(result.getSubchannel()).isSameAs(subchannel);
		call(result, latency, status);
	}

	private void call(PickResult result, Duration latency, Status status) {
		ClientStreamTracer tracer = result.getStreamTracerFactory()
			.newClientStreamTracer(ClientStreamTracer.StreamInfo.newBuilder().setCallOptions(CallOptions.DEFAULT)
				.build(), new Metadata());
		this.now.addAndGet(latency.toNanos());
		tracer.streamClosed(status);
	}

}

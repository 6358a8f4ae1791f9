package io.github.rpcdiscovery.balancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Lists change under the balancer: statistics stay with their node, departed nodes are forgotten after a while. */
class BalancerTest {

	private final FakeClock clock = new FakeClock();

	private final AtomicInteger lookups = new AtomicInteger();

	private final NodeTable table = new NodeTable(BalancerSettings.defaults(), this.clock, EjectionListener.NONE);

	private final Balancer<String> balancer = new Balancer<>(this.table,
			BalancingPolicy.P2C.newPicker(this.clock, new SplittableRandom(7)), (address) -> {
				this.lookups.incrementAndGet();
				return address;
			});

	@Test
	void statisticsAreKeptWhenTheListChanges() {
		List<String> ab = List.of("127.0.0.1:1", "127.0.0.2:1");
		this.balancer.pick(ab);
		record("127.0.0.2:1", 40, Outcome.SUCCESS);
		refuse("127.0.0.1:1");
		this.balancer.pick(List.of("127.0.0.1:1", "127.0.0.2:1", "127.0.0.3:1"));
		this.balancer.pick(List.of("127.0.0.3:1"));
		this.balancer.pick(ab);
		NodeStats b = this.balancer.statsOf("127.0.0.2:1");
		assertThat(b.lagNanos()).isEqualTo(40_000_000);
		assertThat(this.balancer.statsOf("127.0.0.1:1").isEjected(this.clock.nanoTime())).isTrue();
		assertThat(this.balancer.pick(ab)).isEqualTo("127.0.0.2:1");
	}

	@Test
	void theSameListIsMappedOnce() {
		List<String> list = List.of("127.0.0.1:1", "127.0.0.2:1", "127.0.0.3:1");
		for (int i = 0; i < 100; i++) {
			this.balancer.pick(list);
		}
		// a decorator's fresh copy of the same items is the same list too
		for (int i = 0; i < 100; i++) {
			this.balancer.pick(new ArrayList<>(list));
		}
		assertThat(this.lookups).hasValue(3);
	}

	@Test
	void departedNodesAreForgottenAfterAWhileButNotBefore() {
		this.balancer.pick(List.of("127.0.0.1:1", "127.0.0.2:1"));
		record("127.0.0.2:1", 40, Outcome.SUCCESS);
		this.balancer.pick(List.of("127.0.0.1:1"));
		this.clock.advance(Duration.ofMinutes(4));
		assertThat(this.balancer.forgetDeparted()).isZero();
		assertThat(this.balancer.states()).extracting(NodeState::id, NodeState::listed)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("127.0.0.1:1", true),
					org.assertj.core.groups.Tuple.tuple("127.0.0.2:1", false));
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.balancer.forgetDeparted()).isEqualTo(1);
		assertThat(this.table.size()).isEqualTo(1);
		assertThat(this.balancer.statsOf("127.0.0.2:1").lagNanos()).as("a new node, nothing known").isZero();
	}

	@Test
	void listedNodesAndNodesWithCallsInFlightAreNeverForgotten() {
		this.balancer.pick(List.of("127.0.0.1:1", "127.0.0.2:1"));
		this.balancer.statsOf("127.0.0.2:1").callStarted();
		this.balancer.pick(List.of("127.0.0.1:1"));
		this.clock.advance(Duration.ofHours(1));
		assertThat(this.balancer.forgetDeparted()).isZero();
		assertThat(this.table.size()).isEqualTo(2);
	}

	@Test
	void aNodeJoiningLateStartsLevelWithTheOthersInsteadOfTakingEveryCall() {
		List<String> two = List.of("127.0.0.1:1", "127.0.0.2:1");
		for (int i = 0; i < 1000; i++) {
			this.balancer.pick(two);
		}
		List<String> three = List.of("127.0.0.1:1", "127.0.0.2:1", "127.0.0.3:1");
		Map<String, Integer> picks = new HashMap<>();
		for (int i = 0; i < 30; i++) {
			picks.merge(this.balancer.pick(three), 1, Integer::sum);
		}
		assertThat(picks.get("127.0.0.3:1")).isLessThanOrEqualTo(15);
	}

	@Test
	void anEmptyListPicksNothing() {
		assertThat(this.balancer.pick(List.of())).isNull();
	}

	private void record(String node, long millis, Outcome outcome) {
		NodeStats stats = this.balancer.statsOf(node);
		long now = this.clock.nanoTime();
		stats.callStarted();
		stats.callCompleted(now - millis * 1_000_000, now, outcome);
	}

	private void refuse(String node) {
		record(node, 0, Outcome.CONNECT_FAILURE);
	}

}

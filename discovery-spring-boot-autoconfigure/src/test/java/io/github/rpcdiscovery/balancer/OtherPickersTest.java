package io.github.rpcdiscovery.balancer;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Round robin and random skip ejected nodes too. */
class OtherPickersTest {

	private final FakeClock clock = new FakeClock();

	private final NodeTable table = new NodeTable(BalancerSettings.defaults(), this.clock, EjectionListener.NONE);

	@Test
	void roundRobinTakesTurnsAndSkipsEjectedNodes() {
		NodeStats[] nodes = nodes(3);
		RoundRobinPicker picker = new RoundRobinPicker(this.clock, 0);
		assertThat(picks(picker, nodes, 6)).containsExactly(0, 1, 2, 0, 1, 2);
		refuse(nodes[1]);
		assertThat(picks(picker, nodes, 4)).containsExactly(0, 2, 0, 2);
		this.clock.advanceMillis(1000);
		assertThat(picks(picker, nodes, 3)).contains(1);
	}

	@Test
	void randomSkipsEjectedNodes() {
		NodeStats[] nodes = nodes(3);
		refuse(nodes[2]);
		RandomPicker picker = new RandomPicker(this.clock, new ScriptedRandom().then(2, 2, 2, 0, 2, 1));
		assertThat(picker.pick(nodes)).as("three ejected draws, then a scan").isZero();
		assertThat(picker.pick(nodes)).isEqualTo(0);
	}

	@Test
	void everyPickerTriesAnEjectedNodeWhenNoneIsLeft() {
		NodeStats[] nodes = nodes(2);
		refuse(nodes[0]);
		refuse(nodes[1]);
		for (BalancingPolicy policy : BalancingPolicy.values()) {
			Picker picker = policy.newPicker(this.clock, new java.util.SplittableRandom(1));
			assertThat(picker.pick(nodes)).as(policy.value()).isIn(0, 1);
		}
	}

	@Test
	void policiesAreWrittenAsInConfiguration() {
		assertThat(BalancingPolicy.ROUND_ROBIN.value()).isEqualTo("round-robin");
		assertThat(BalancingPolicy.P2C.value()).isEqualTo("p2c");
	}

	private List<Integer> picks(Picker picker, NodeStats[] nodes, int count) {
		List<Integer> picks = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			picks.add(picker.pick(nodes));
		}
		return picks;
	}

	private NodeStats[] nodes(int count) {
		NodeStats[] nodes = new NodeStats[count];
		for (int i = 0; i < count; i++) {
			nodes[i] = this.table.node("127.0.0." + (i + 1) + ":8080");
		}
		return nodes;
	}

	private void refuse(NodeStats node) {
		long now = this.clock.nanoTime();
		node.callStarted();
		node.callCompleted(now, now, Outcome.CONNECT_FAILURE);
	}

}

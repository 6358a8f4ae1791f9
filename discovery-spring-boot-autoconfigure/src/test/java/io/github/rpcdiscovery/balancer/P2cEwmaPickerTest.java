package io.github.rpcdiscovery.balancer;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** go-zero's pick rules on a fake clock and a scripted random source. */
class P2cEwmaPickerTest {

	private static final long MS = 1_000_000;

	private final FakeClock clock = new FakeClock();

	private final ScriptedRandom random = new ScriptedRandom();

	private final NodeTable table = new NodeTable(BalancerSettings.defaults(), this.clock, EjectionListener.NONE);

	private final P2cEwmaPicker picker = new P2cEwmaPicker(this.clock, this.random);

	@Test
	void noNodeNoPick() {
		assertThat(this.picker.pick(new NodeStats[0])).isEqualTo(-1);
	}

	@Test
	void aSingleNodeIsAlwaysPicked() {
		NodeStats[] nodes = nodes(1);
		latency(nodes[0], 500);
		assertThat(this.picker.pick(nodes)).isZero();
	}

	@Test
	void ofTwoNodesTheLowerLoadWins() {
		NodeStats[] nodes = nodes(2);
		latency(nodes[0], 50);
		latency(nodes[1], 10);
		pickedRecently(nodes);
		for (int i = 0; i < 5; i++) {
			assertThat(this.picker.pick(nodes)).isEqualTo(1);
		}
		// calls in flight count: (3 + 1) * sqrt(10 ms) > sqrt(50 ms)
		nodes[1].callStarted();
		nodes[1].callStarted();
		nodes[1].callStarted();
		assertThat(this.picker.pick(nodes)).isZero();
	}

	@Test
	void nearEqualNodesTakeTurnsInsteadOfRankingByNoise() {
		P2cEwmaPicker seededPicker = new P2cEwmaPicker(this.clock, new SplittableRandom(7));
		NodeStats[] nodes = nodes(3);
		latency(nodes[0], 20);
		latency(nodes[1], 22);
		latency(nodes[2], 26);
		int[] picks = new int[3];
		for (int i = 0; i < 3000; i++) { // one caller, one call after another
			this.clock.advanceMillis(2);
			picks[seededPicker.pick(nodes)]++;
		}
		assertThat(Arrays.stream(picks).boxed().toList()).allSatisfy((count) -> assertThat(count).isBetween(970, 1030));
	}

	@Test
	void aNodeInItsWarmUpIsComparedByCallsInFlightOnly() {
		NodeStats[] nodes = nodes(2);
		long now = this.clock.nanoTime();
		nodes[0].callStarted();
		nodes[0].callCompleted(now - 50 * MS, now, Outcome.SUCCESS); // one cold sample
		latency(nodes[1], 2);
		nodes[0].picked(now);
		nodes[1].picked(now);
		nodes[1].picked(now);
		assertThat(this.picker.pick(nodes)).as("not ranked by its cold sample; fewer picks").isZero();
		nodes[0].callStarted();
		nodes[0].callStarted();
		assertThat(this.picker.pick(nodes)).as("2 calls in flight against none").isEqualTo(1);
	}

	@Test
	void weightsOneTwoFourGetOneTwoFourSevenths() {
		P2cEwmaPicker seededPicker = new P2cEwmaPicker(this.clock, new SplittableRandom(11));
		NodeStats[] nodes = nodes(3);
		int[] weights = { 1, 2, 4 };
		for (int i = 0; i < 3; i++) {
			latency(nodes[i], 20);
			nodes[i].weight(weights[i]);
		}
		int[] picks = new int[3];
		for (int i = 0; i < 7000; i++) {
			this.clock.advanceMillis(1);
			picks[seededPicker.pick(nodes)]++;
		}
		assertThat(picks[0]).isBetween(950, 1050);
		assertThat(picks[1]).isBetween(1900, 2100);
		assertThat(picks[2]).isBetween(3800, 4200);
	}

	@Test
	void aHeavierNodeTakesMoreCallsInFlightBeforeItCountsAsLoaded() {
		NodeStats[] nodes = nodes(2);
		latency(nodes[0], 20);
		latency(nodes[1], 20);
		nodes[1].weight(4);
		pickedRecently(nodes);
		nodes[1].callStarted();
		// (1/4 + 1) against (0 + 1): equal; node 1's pick counted a quarter, its pass is lower (unweighted: 2 against 1)
		assertThat(this.picker.pick(nodes)).isEqualTo(1);
		nodes[1].callStarted();
		nodes[1].callStarted();
		// (3/4 + 1) against (0 + 1)
		assertThat(this.picker.pick(nodes)).isZero();
	}

	@Test
	void aNodeNotPickedForOverASecondIsProbedOnce() {
		NodeStats[] nodes = nodes(2);
		latency(nodes[0], 500);
		latency(nodes[1], 10);
		pickedRecently(nodes);
		assertThat(this.picker.pick(nodes)).isEqualTo(1);
		this.clock.advanceMillis(999);
		assertThat(this.picker.pick(nodes)).isEqualTo(1);
		this.clock.advanceMillis(2);
		assertThat(this.picker.pick(nodes)).as("probe after 1 s").isZero();
		assertThat(this.picker.pick(nodes)).as("then back to the faster node").isEqualTo(1);
	}

	@Test
	void fromThreeNodesOnItDrawsPairsAndPrefersTheLowerLoad() {
		NodeStats[] nodes = nodes(3);
		latency(nodes[0], 10);
		latency(nodes[1], 90);
		latency(nodes[2], 30);
		pickedRecently(nodes);
		this.random.then(1, 1); // a = 1, b = 1 -> 2 (b skips a): pair (1, 2)
		assertThat(this.picker.pick(nodes)).isEqualTo(2);
		this.random.then(1, 0); // pair (1, 0)
		assertThat(this.picker.pick(nodes)).isZero();
		assertThat(this.random.remaining()).isZero();
	}

	@Test
	void anUnhealthyNodeIsAvoidedWhileAHealthyPairIsDrawn() {
		NodeStats[] nodes = nodes(3);
		latency(nodes[0], 20);
		latency(nodes[1], 20);
		latency(nodes[2], 1);
		failOnce(nodes[2]); // success 0: unhealthy, though its load is the lowest
		pickedRecently(nodes);
		this.random.then(2, 0, 0, 0); // draw 1: pair (2, 0) has an unhealthy node; draw 2: pair (0, 1)
		assertThat(this.picker.pick(nodes)).isIn(0, 1);
		assertThat(this.random.remaining()).isZero();
	}

	@Test
	void afterThreeUnhealthyDrawsTheLastPairIsUsed() {
		NodeStats[] nodes = nodes(3);
		latency(nodes[0], 20);
		latency(nodes[1], 20);
		latency(nodes[2], 1);
		failOnce(nodes[1]);
		failOnce(nodes[2]);
		pickedRecently(nodes);
		this.random.then(1, 1, 2, 0, 2, 1); // pairs (1, 2), (2, 0), (2, 1): never both healthy
		// the last pair (2, 1): node 2 has the lower load (1 ms against 20 ms) though both are unhealthy
		assertThat(this.picker.pick(nodes)).isEqualTo(2);
		assertThat(this.random.remaining()).isZero();
	}

	@Test
	void anEjectedNodeIsNeverPickedWhileAnotherIsAvailable() {
		NodeStats[] nodes = nodes(2);
		latency(nodes[1], 10);
		refuse(nodes[0]); // ejected for 1 s; its lag (0) is the lowest, its pick is overdue
		for (int i = 0; i < 3; i++) {
			this.clock.advanceMillis(300);
			assertThat(this.picker.pick(nodes)).isEqualTo(1);
		}
		this.clock.advanceMillis(100);
		assertThat(this.picker.pick(nodes)).as("the ejection is over: a probe").isZero();
		nodes[0].callStarted();
		assertThat(this.picker.pick(nodes)).as("one probe at a time").isEqualTo(1);
	}

	@Test
	void anEjectedPairGivesWayToAnyAvailableNode() {
		NodeStats[] nodes = nodes(4);
		refuse(nodes[0]);
		refuse(nodes[1]);
		refuse(nodes[2]);
		this.random.then(0, 0, 1, 1, 2, 0); // pairs (0, 1), (1, 2), (2, 0): all ejected
		assertThat(this.picker.pick(nodes)).isEqualTo(3);
	}

	@Test
	void whenEveryNodeIsEjectedOneIsStillTried() {
		NodeStats[] nodes = nodes(2);
		refuse(nodes[0]);
		refuse(nodes[1]);
		assertThat(this.picker.pick(nodes)).isIn(0, 1);
	}

	@Test
	void aSlowNodeGetsOnlyItsProbes() {
		SplittableRandom seeded = new SplittableRandom(42);
		P2cEwmaPicker seededPicker = new P2cEwmaPicker(this.clock, seeded);
		NodeStats[] nodes = nodes(5);
		for (int i = 0; i < 4; i++) {
			latency(nodes[i], 20);
		}
		latency(nodes[4], 500);
		int[] picks = new int[5];
		for (int i = 0; i < 10_000; i++) { // 10 s of 1000 picks/s
			this.clock.advanceMillis(1);
			picks[seededPicker.pick(nodes)]++;
		}
		assertThat(picks[4]).isBetween(8, 12); // about one probe a second
	}

	private NodeStats[] nodes(int count) {
		NodeStats[] nodes = new NodeStats[count];
		for (int i = 0; i < count; i++) {
			nodes[i] = this.table.node("127.0.0." + (i + 1) + ":8080");
		}
		return nodes;
	}

	private void latency(NodeStats node, long millis) {
		SteadyLatency.give(node, this.clock.nanoTime(), millis);
	}

	private void failOnce(NodeStats node) {
		// a failure 100 s after the previous sample outweighs it: success falls to about 0; the latency stays
		long now = this.clock.nanoTime() + 100_000 * MS;
		node.callStarted();
		node.callCompleted(now - (long) node.lagNanos(), now, Outcome.FAILURE);
	}

	private void refuse(NodeStats node) {
		long now = this.clock.nanoTime();
		node.callStarted();
		node.callCompleted(now, now, Outcome.CONNECT_FAILURE);
	}

	private void pickedRecently(NodeStats[] nodes) {
		for (NodeStats node : nodes) {
			node.picked(this.clock.nanoTime());
		}
	}

}

package io.github.rpcdiscovery.balancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The averages, the load formula and ejection of one node, on a fake clock. */
class NodeStatsTest {

	private static final long MS = 1_000_000;

	private final FakeClock clock = new FakeClock();

	private final List<String> events = new ArrayList<>();

	private final NodeTable table = new NodeTable(BalancerSettings.defaults(), this.clock, new EjectionListener() {

		@Override
		public void ejected(NodeStats node, Outcome cause, int ejections, long nanos) {
			NodeStatsTest.this.events.add("ejected " + cause + " #" + ejections + " for " + nanos / MS + "ms");
		}

		@Override
		public void readmitted(NodeStats node, long outageNanos) {
			NodeStatsTest.this.events.add("readmitted after " + outageNanos / MS + "ms");
		}

	});

	private final NodeStats node = this.table.node("127.0.0.1:8080");

	@Test
	void aNewNodeIsHealthyWithNoLatency() {
		assertThat(this.node.success()).isEqualTo(1000);
		assertThat(this.node.isHealthy()).isTrue();
		assertThat(this.node.lagNanos()).isZero();
		assertThat(this.node.load()).isEqualTo(1.0);
		assertThat(this.node.isAvailable(this.clock.nanoTime())).isTrue();
	}

	@Test
	void theFirstSampleTakesFullWeight() {
		call(20, Outcome.SUCCESS);
		assertThat(this.node.lagNanos()).isEqualTo(20 * MS);
		call(5, Outcome.FAILURE);
		// the second sample, 5 ms after the first completion, weighs 1 - exp(-0.0005): almost nothing
		assertThat(this.node.success()).isCloseTo(1000 * Math.exp(-0.0005), within(1e-6));
	}

	@Test
	void samplesDecayWithTimeNotWithCount() {
		SteadyLatency.give(this.node, this.clock.nanoTime(), 20);
		this.clock.advance(Duration.ofMillis(9_960)); // the next call completes 10 s after the last: w = exp(-1)
		call(40, Outcome.FAILURE);
		double w = Math.exp(-1);
		assertThat(this.node.lagNanos()).isCloseTo(20 * MS * w + 40 * MS * (1 - w), within(1.0));
		assertThat(this.node.success()).isCloseTo(1000 * w, within(1e-6));
		assertThat(this.node.isHealthy()).isFalse(); // 368 < 500
	}

	@Test
	void aColdFirstSampleIsForgottenWithinASecondOfSteadyCalls() {
		call(50, Outcome.SUCCESS); // a new connection, cold code
		for (int i = 0; i < 500; i++) { // 1 s of calls of 2 ms, one after another
			call(2, Outcome.SUCCESS);
		}
		assertThat(this.node.lagNanos()).isCloseTo(2 * MS, within(0.1 * MS));
	}

	@Test
	void theLatencyAverageIsARankingFromItsSecondSampleAndAFineOneAfterItsWarmUp() {
		call(50, Outcome.SUCCESS);
		assertThat(this.node.hasLatency()).isFalse();
		call(2, Outcome.SUCCESS);
		assertThat(this.node.hasLatency()).isTrue();
		assertThat(this.node.lagNanos()).as("the lower of two").isEqualTo(2 * MS);
		for (int i = 2; i < NodeStats.RANKED_AFTER_SAMPLES; i++) {
			assertThat(this.node.isWarm()).isFalse();
			call(2, Outcome.SUCCESS);
		}
		call(2, Outcome.SUCCESS);
		assertThat(this.node.isWarm()).isTrue();
	}

	@Test
	void aNodeTurningSlowRaisesItsAverageWithItsSecondSlowAnswer() {
		for (int i = 0; i < NodeStats.RANKED_AFTER_SAMPLES; i++) {
			call(20, Outcome.SUCCESS);
		}
		call(500, Outcome.SUCCESS);
		call(500, Outcome.SUCCESS);
		// each weighs 1/51 or more (count), or 1 - exp(-0.5) (time): more than twice the latency
		assertThat(this.node.lagNanos()).isGreaterThan(40 * MS);
	}

	@Test
	void aLoneStallDoesNotRaiseTheAverage() {
		for (int i = 0; i < NodeStats.RANKED_AFTER_SAMPLES; i++) {
			call(1, Outcome.SUCCESS);
		}
		call(100, Outcome.SUCCESS); // the machine stalled during this call
		call(1, Outcome.SUCCESS);
		assertThat(this.node.lagNanos()).isCloseTo(MS, within(0.05 * MS));
	}

	@Test
	void loadIsSqrtOfLagPlusOneTimesInflightPlusOne() {
		call(20, Outcome.SUCCESS);
		this.node.callStarted();
		this.node.callStarted();
		assertThat(this.node.load()).isCloseTo(Math.sqrt(20 * MS + 1) * 3, within(1e-9));
	}

	@Test
	void aRefusedConnectionEjectsAtOnceAndTeachesNoLatency() {
		call(20, Outcome.SUCCESS);
		this.clock.advanceMillis(100);
		call(1, Outcome.CONNECT_FAILURE);
		long now = this.clock.nanoTime();
		assertThat(this.node.isEjected(now)).isTrue();
		assertThat(this.node.isAvailable(now)).isFalse();
		assertThat(this.node.lagNanos()).isEqualTo(20 * MS);
		assertThat(this.events).containsExactly("ejected CONNECT_FAILURE #1 for 1000ms");
	}

	@Test
	void failuresInARowEjectAndASuccessResetsTheCount() {
		call(5, Outcome.FAILURE);
		call(5, Outcome.FAILURE);
		call(5, Outcome.SUCCESS);
		call(5, Outcome.FAILURE);
		call(5, Outcome.FAILURE);
		assertThat(this.node.isEjected(this.clock.nanoTime())).isFalse();
		call(5, Outcome.FAILURE);
		assertThat(this.node.isEjected(this.clock.nanoTime())).isTrue();
		assertThat(this.events).containsExactly("ejected FAILURE #1 for 1000ms");
	}

	@Test
	void theBackOffDoublesWhileProbesFailAndIsCapped() {
		List<Long> ejections = new ArrayList<>();
		call(1, Outcome.CONNECT_FAILURE);
		for (int i = 0; i < 6; i++) {
			long ejectedFor = this.node.state(this.clock.nanoTime(), true).ejectedForMillis();
			ejections.add(ejectedFor);
			this.clock.advanceMillis(ejectedFor);
			assertThat(this.node.isAvailable(this.clock.nanoTime())).isTrue();
			call(1, Outcome.CONNECT_FAILURE); // the probe fails
		}
		assertThat(ejections).containsExactly(1000L, 2000L, 4000L, 8000L, 8000L, 8000L);
		assertThat(this.events).hasSize(7).allMatch((event) -> event.startsWith("ejected CONNECT_FAILURE"));
	}

	@Test
	void onProbationOneCallAtATimeAndASuccessReadmits() {
		call(1, Outcome.CONNECT_FAILURE);
		this.clock.advanceMillis(1000);
		long start = this.clock.nanoTime();
		assertThat(this.node.isAvailable(start)).isTrue();
		this.node.callStarted(); // the probe
		assertThat(this.node.isAvailable(start)).isFalse();
		assertThat(this.node.state(start, true).probation()).isTrue();
		this.clock.advanceMillis(3);
		this.node.callCompleted(start, this.clock.nanoTime(), Outcome.SUCCESS);
		assertThat(this.node.isAvailable(this.clock.nanoTime())).isTrue();
		assertThat(this.node.state(this.clock.nanoTime(), true).probation()).isFalse();
		assertThat(this.events).containsExactly("ejected CONNECT_FAILURE #1 for 1000ms", "readmitted after 1003ms");
		// readmitted: the next ejection starts again from the first back-off
		call(1, Outcome.CONNECT_FAILURE);
		assertThat(this.node.state(this.clock.nanoTime(), true).ejectedForMillis()).isEqualTo(1000);
	}

	@Test
	void lateFailuresOfCallsMadeBeforeTheEjectionDoNotExtendIt() {
		long before = this.clock.nanoTime();
		this.node.callStarted();
		this.node.callStarted();
		call(1, Outcome.CONNECT_FAILURE);
		this.clock.advanceMillis(300);
		this.node.callCompleted(before, this.clock.nanoTime(), Outcome.FAILURE);
		assertThat(this.node.state(this.clock.nanoTime(), true).ejectedForMillis()).isEqualTo(700);
		this.clock.advanceMillis(800);
		// the ejection is over, but a call from before it still runs: no probe can start until it ends
		assertThat(this.node.isAvailable(this.clock.nanoTime())).isFalse();
		this.node.callCompleted(before, this.clock.nanoTime(), Outcome.SUCCESS);
		// a success of a call made before the ejection is no probe: still on probation
		assertThat(this.node.state(this.clock.nanoTime(), true).probation()).isTrue();
		assertThat(this.node.isAvailable(this.clock.nanoTime())).isTrue();
		assertThat(this.events).containsExactly("ejected CONNECT_FAILURE #1 for 1000ms");
	}

	@Test
	void abandonedCallsFreeTheirSlot() {
		this.node.callStarted();
		this.node.callAbandoned();
		assertThat(this.node.inflight()).isZero();
		assertThat(this.node.state(this.clock.nanoTime(), true).calls()).isZero();
	}

	private void call(long millis, Outcome outcome) {
		long start = this.clock.nanoTime();
		this.node.callStarted();
		this.clock.advanceMillis(millis);
		this.node.callCompleted(start, this.clock.nanoTime(), outcome);
	}

}

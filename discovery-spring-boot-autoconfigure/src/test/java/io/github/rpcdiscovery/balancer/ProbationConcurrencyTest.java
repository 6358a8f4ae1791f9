package io.github.rpcdiscovery.balancer;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose ejection ended takes one call at a time until one of them succeeds, however many threads pick at the
 * same moment: with real threads that all pick before any of them starts its call (the gap between choosing a node
 * and the call reaching it), on a fake clock.
 */
class ProbationConcurrencyTest {

	private static final long MS = 1_000_000;

	private static final int THREADS = 16;

	private final FakeClock clock = new FakeClock();

	private final NodeTable table = new NodeTable(BalancerSettings.defaults(), this.clock, EjectionListener.NONE);

	private final NodeStats steady = this.table.node("127.0.0.1:8080");

	private final NodeStats recovering = this.table.node("127.0.0.2:8080");

	private final NodeStats[] nodes = { this.steady, this.recovering };

	static List<Arguments> pickers() {
		return List.of(
				Arguments.of("p2c_ewma", (Function<NanoClock, Picker>) (clock) -> new P2cEwmaPicker(clock, new Random(7))),
				Arguments.of("round_robin", (Function<NanoClock, Picker>) (clock) -> new RoundRobinPicker(clock, 0)),
				Arguments.of("random", (Function<NanoClock, Picker>) (clock) -> new RandomPicker(clock, new Random(7))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("pickers")
	void manyThreadsPickingAtOnceSendExactlyOneCallToANodeOnProbation(String name,
			Function<NanoClock, Picker> pickerOf) throws Exception {
		Picker picker = pickerOf.apply(this.clock);
		putRecoveringOnProbation();

		List<Integer> firstRound = pickConcurrently(picker);
		assertThat(firstRound.stream().filter((index) -> index == 1)).as("calls admitted to the node on probation")
			.hasSize(1);
		assertThat(firstRound.stream().filter((index) -> index == 0)).hasSize(THREADS - 1);

		// the probe is on its way: nobody else gets the node, whenever they pick
		long probeStart = this.clock.nanoTime();
		this.recovering.callStarted();
		this.clock.advanceMillis(5);
		assertThat(pickConcurrently(picker)).as("picks while the probe is in flight").doesNotContain(1);

		// the probe succeeded: the node is readmitted and takes calls from everyone again
		this.recovering.callCompleted(probeStart, this.clock.nanoTime(), Outcome.SUCCESS);
		this.clock.advanceMillis(5);
		assertThat(pickConcurrently(picker)).as("picks after readmission").filteredOn((index) -> index == 1)
			.hasSizeGreaterThan(1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("pickers")
	void aProbeThatFailsEjectsAgainAndTheNextProbationAdmitsOneCallAgain(String name,
			Function<NanoClock, Picker> pickerOf) throws Exception {
		Picker picker = pickerOf.apply(this.clock);
		putRecoveringOnProbation();
		assertThat(pickConcurrently(picker).stream().filter((index) -> index == 1)).hasSize(1);
		long probeStart = this.clock.nanoTime();
		this.recovering.callStarted();
		this.recovering.callCompleted(probeStart, probeStart, Outcome.CONNECT_FAILURE);
		assertThat(pickConcurrently(picker)).as("ejected again for 2 s").doesNotContain(1);

		this.clock.advance(Duration.ofSeconds(2));
		this.steady.picked(this.clock.nanoTime());
		assertThat(pickConcurrently(picker).stream().filter((index) -> index == 1)).hasSize(1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("pickers")
	void aProbeChosenButNeverStartedFreesTheNodeAfterTheFirstEjectionTime(String name,
			Function<NanoClock, Picker> pickerOf) throws Exception {
		Picker picker = pickerOf.apply(this.clock);
		putRecoveringOnProbation();
		assertThat(pickConcurrently(picker).stream().filter((index) -> index == 1)).hasSize(1);
		// the call that was to be the probe never reaches the node (the request failed before it was sent)
		this.clock.advanceMillis(999);
		this.steady.picked(this.clock.nanoTime());
		assertThat(pickConcurrently(picker)).doesNotContain(1);
		this.clock.advanceMillis(2);
		this.steady.picked(this.clock.nanoTime());
		assertThat(pickConcurrently(picker).stream().filter((index) -> index == 1)).hasSize(1);
	}

	/**
	 * The steady node is slow (100 ms), the recovering one was fast (1 ms) until a refused connection ejected it for
	 * 1 s; that second has passed, and both were picked just now (no one-second probe of the slow node).
	 */
	private void putRecoveringOnProbation() {
		long now = this.clock.nanoTime();
		SteadyLatency.give(this.steady, now, 100);
		SteadyLatency.give(this.recovering, now, 1);
		this.clock.advanceMillis(10);
		long refused = this.clock.nanoTime();
		this.recovering.callStarted();
		this.recovering.callCompleted(refused, refused, Outcome.CONNECT_FAILURE);
		this.clock.advance(Duration.ofSeconds(1));
		this.steady.picked(this.clock.nanoTime());
		this.recovering.picked(this.clock.nanoTime());
		assertThat(this.recovering.state(this.clock.nanoTime(), true).probation()).isTrue();
	}

	/** Every thread picks at the same moment; none starts its call before all have picked. */
	private List<Integer> pickConcurrently(Picker picker) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			CyclicBarrier start = new CyclicBarrier(THREADS);
			List<Future<Integer>> picks = IntStream.range(0, THREADS).mapToObj((i) -> threads.submit(() -> {
				start.await(10, TimeUnit.SECONDS);
				return picker.pick(this.nodes);
			})).toList();
			return picks.stream().map(ProbationConcurrencyTest::get).toList();
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static Integer get(Future<Integer> pick) {
		try {
			return pick.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}

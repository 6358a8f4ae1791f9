package io.github.rpcdiscovery.shutdown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How long shutdown waits for clients to hear of the withdrawal, on an injected clock: exact waits, no sleeping. */
class DrainCoordinatorTest {

	private static final long MS = 1_000_000;

	/** A monotonic clock that moves only when told (or when the coordinator "sleeps"); starts far from zero. */
	private long now = 5_000_000_000_000L;

	/** Every pause the coordinator asked for, in nanoseconds. */
	private final List<Long> pauses = new ArrayList<>();

	private DrainCoordinator coordinator(Duration drain) {
		return new DrainCoordinator(drain, () -> this.now, (nanos) -> {
			this.pauses.add(nanos);
			this.now += nanos;
		});
	}

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void nothingWithdrawnMeansNoWait() {
		DrainCoordinator coordinator = coordinator(Duration.ofSeconds(30));
		assertThat(coordinator.isDraining()).isFalse();
		assertThat(coordinator.awaitDrained()).isZero();
		assertThat(this.pauses).isEmpty();
	}

	@Test
	void waitsTheRestOfTheDrainMeasuredFromTheFirstWithdrawal() {
		DrainCoordinator coordinator = coordinator(Duration.ofMillis(300));
		coordinator.withdrawn("a");
		this.now += 40 * MS;
		coordinator.withdrawn("b"); // a later withdrawal does not restart the drain
		this.now += 60 * MS;

		assertThat(coordinator.isDraining()).isTrue();
		assertThat(coordinator.awaitDrained()).isEqualTo(Duration.ofMillis(200));
		assertThat(this.pauses).containsExactly(200 * MS);
		assertThat(coordinator.awaitDrained()).as("already drained").isZero();
		assertThat(this.pauses).hasSize(1);
	}

	@Test
	void aDrainThatPassedDuringShutdownCostsNoWait() {
		DrainCoordinator coordinator = coordinator(Duration.ofMillis(300));
		coordinator.withdrawn("a");
		this.now += 300 * MS;
		assertThat(coordinator.awaitDrained()).isZero();
		assertThat(this.pauses).isEmpty();
	}

	@Test
	void hearsWithdrawalsAsEvents() {
		DrainCoordinator coordinator = coordinator(Duration.ofSeconds(2));
		coordinator.onApplicationEvent(new InstanceWithdrawnEvent(this, "user.rpc/1 -> 127.0.0.1:1"));
		assertThat(coordinator.isDraining()).isTrue();
		assertThat(coordinator.awaitDrained()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void theWebAndTheGrpcServerWaitForOneDrainReportedOnce() {
		DrainCoordinator coordinator = coordinator(Duration.ofMillis(500));
		coordinator.withdrawn("a");
		DrainBeforeServerShutdown web = new DrainBeforeServerShutdown(coordinator, 1);
		DrainBeforeServerShutdown grpc = new DrainBeforeServerShutdown(coordinator, 1);
		web.start();
		grpc.start();
		web.stop();
		grpc.stop();
		assertThat(this.pauses).as("only the first server waits").containsExactly(500 * MS);
		assertThat(web.isRunning()).isFalse();
		assertThat(grpc.isRunning()).isFalse();
		assertThat(coordinator.claimReport()).as("reported already").isFalse();
	}

	/** An interrupted shutdown stops waiting, keeps the interrupt, and reports the time it really waited. */
	@Test
	void anInterruptedDrainReportsWhatItWaitedAndKeepsTheInterrupt() {
		DrainCoordinator coordinator = new DrainCoordinator(Duration.ofSeconds(30));
		coordinator.withdrawn("a");
		Thread.currentThread().interrupt();
		Duration waited = coordinator.awaitDrained();
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
		assertThat(waited).isLessThan(Duration.ofSeconds(1));
	}

}

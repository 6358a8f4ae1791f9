package io.github.rpcdiscovery.shutdown;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DrainCoordinatorTest {

	@Test
	void nothingWithdrawnMeansNoWait() {
		DrainCoordinator coordinator = new DrainCoordinator(Duration.ofSeconds(30));
		assertThat(coordinator.isDraining()).isFalse();
		assertThat(coordinator.awaitDrained()).isZero();
	}

	@Test
	void waitsTheRestOfTheDrainMeasuredFromTheFirstWithdrawal() {
		DrainCoordinator coordinator = new DrainCoordinator(Duration.ofMillis(300));
		long start = System.nanoTime();
		coordinator.withdrawn("a");
		coordinator.withdrawn("b"); // a later withdrawal does not restart the drain
		Duration waited = coordinator.awaitDrained();
		long elapsed = (System.nanoTime() - start) / 1_000_000;
		assertThat(coordinator.isDraining()).isTrue();
		assertThat(waited).isPositive().isLessThanOrEqualTo(Duration.ofMillis(300));
		assertThat(elapsed).isGreaterThanOrEqualTo(290);
		assertThat(coordinator.awaitDrained()).as("already drained").isZero();
	}

	@Test
	void hearsWithdrawalsAsEvents() {
		DrainCoordinator coordinator = new DrainCoordinator(Duration.ZERO);
		coordinator.onApplicationEvent(new InstanceWithdrawnEvent(this, "user.rpc/1 -> 127.0.0.1:1"));
		assertThat(coordinator.isDraining()).isTrue();
		assertThat(coordinator.awaitDrained()).isZero();
	}

	@Test
	void theWebAndTheGrpcServerWaitForOneDrainReportedOnce() {
		DrainCoordinator coordinator = new DrainCoordinator(Duration.ZERO);
		assertThat(coordinator.claimReport()).isTrue();
		assertThat(coordinator.claimReport()).isFalse();
	}

}

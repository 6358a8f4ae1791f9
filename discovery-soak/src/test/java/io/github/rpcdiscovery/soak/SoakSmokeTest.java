package io.github.rpcdiscovery.soak;

import io.github.rpcdiscovery.soak.harness.SoakRun;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 60 seconds of combined faults on a small system (3 etcd members, 2 servers, 1 client at 10 calls/s), every
 * invariant held. The seed is printed first; {@code -Dsoak.seed=N} replays a run.
 */
class SoakSmokeTest {

	@Test
	void sixtySecondsOfCombinedFaultsBreakNoInvariant() {
		String seed = System.getProperty("soak.seed", Long.toString(System.nanoTime()));
		SoakRun.Result result = SoakRun.run("--seed=" + seed, "--seconds=60", "--servers=2", "--clients=1", "--rps=10");
		System.out.println(result.report());
		assertThat(result.faults()).isPositive();
		assertThat(result.violations()).as(result.report()).isZero();
	}

}

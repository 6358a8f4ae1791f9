package io.github.rpcdiscovery.soak.harness;

/**
 * The soak's command:
 * <pre>
 * discovery-soak/soak.sh [--seed=N] [--seconds=60] [--max-faults=10000] [--servers=2] [--clients=1] [--rps=20]
 * </pre>
 * Prints the seed and each cycle's faults as it goes, then the report; exits 1 if an invariant was violated.
 */
public final class SoakHarness {

	private SoakHarness() {
	}

	public static void main(String[] args) {
		SoakRun.Result result = SoakRun.run(args);
		System.out.println();
		System.out.println(result.report());
		System.exit(result.violations() == 0 ? 0 : 1);
	}

}

package io.github.rpcdiscovery.balancer;

/** Gives a node a latency average the picker ranks by: as many equal samples as it takes to leave the warm-up. */
final class SteadyLatency {

	private static final long MS = 1_000_000;

	private SteadyLatency() {
	}

	/** {@link NodeStats#RANKED_AFTER_SAMPLES} successful calls of {@code millis}, all ending at {@code now}. */
	static void give(NodeStats node, long now, long millis) {
		for (int i = 0; i < NodeStats.RANKED_AFTER_SAMPLES; i++) {
			node.callStarted();
			node.callCompleted(now - millis * MS, now, Outcome.SUCCESS);
		}
	}

}

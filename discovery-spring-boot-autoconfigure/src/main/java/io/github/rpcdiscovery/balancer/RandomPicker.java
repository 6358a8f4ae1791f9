package io.github.rpcdiscovery.balancer;

import java.util.random.RandomGenerator;

/** A uniformly random node, skipping ejected nodes. */
public final class RandomPicker implements Picker {

	private static final int DRAWS = 3;

	private final NanoClock clock;

	private final RandomGenerator random;

	public RandomPicker(NanoClock clock, RandomGenerator random) {
		this.clock = clock;
		this.random = random;
	}

	@Override
	public int pick(NodeStats[] nodes) {
		int n = nodes.length;
		if (n == 0) {
			return -1;
		}
		long now = this.clock.nanoTime();
		int index = 0;
		for (int draw = 0; draw < DRAWS; draw++) {
			index = this.random.nextInt(n);
			if (nodes[index].isAvailable(now) && nodes[index].tryAdmit(now)) {
				return index;
			}
		}
		// mostly ejected nodes: scan (a scan alone would favour the node after an ejected one)
		int available = Picker.firstAdmitting(nodes, index, now);
		return (available >= 0) ? available : index;
	}

}

package io.github.rpcdiscovery.balancer;

import java.util.concurrent.atomic.AtomicInteger;

/** Each node in turn, skipping ejected nodes; starts at a random position like Spring Cloud's round robin. */
public final class RoundRobinPicker implements Picker {

	private final NanoClock clock;

	private final AtomicInteger position;

	public RoundRobinPicker(NanoClock clock, int start) {
		this.clock = clock;
		this.position = new AtomicInteger(start);
	}

	@Override
	public int pick(NodeStats[] nodes) {
		int n = nodes.length;
		if (n == 0) {
			return -1;
		}
		int start = (this.position.getAndIncrement() & Integer.MAX_VALUE) % n;
		long now = this.clock.nanoTime();
		int index = Picker.firstAdmitting(nodes, start, now);
		if (index < 0) {
			return start;
		}
		if (index != start) {
			// skipped ejected nodes: move the turn past the chosen one so the next node in line is not picked twice
			this.position.addAndGet(index > start ? index - start : n - start + index);
		}
		return index;
	}

}

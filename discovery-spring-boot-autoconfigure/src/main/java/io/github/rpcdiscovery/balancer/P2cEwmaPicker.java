package io.github.rpcdiscovery.balancer;

import java.util.random.RandomGenerator;

/**
 * go-zero's p2c_ewma: power of two choices over the nodes' {@link NodeStats#load() load}.
 * <ul>
 * <li>one node: it; two nodes: the one with the lower load;</li>
 * <li>more: up to three draws of two distinct random nodes, until both are healthy (success above 500) and not
 * ejected, else the last pair drawn; of the pair, the lower load wins;</li>
 * <li>but if the other node of the pair was not picked for over {@code forcePick} (1 s), it is picked instead: a probe,
 * so a node that was slow or failing gets a chance to show it recovered.</li>
 * </ul>
 * Unlike go-zero, an ejected node is never the choice while another node is available, and is not probed by the
 * one-second rule: its ejection back-off decides when it is tried again.
 */
public final class P2cEwmaPicker implements Picker {

	private static final int PICK_TIMES = 3;

	private final NanoClock clock;

	private final RandomGenerator random;

	public P2cEwmaPicker(NanoClock clock, RandomGenerator random) {
		this.clock = clock;
		this.random = random;
	}

	@Override
	public int pick(NodeStats[] nodes) {
		int n = nodes.length;
		long now = this.clock.nanoTime();
		if (n == 0) {
			return -1;
		}
		if (n == 1) {
			nodes[0].picked(now);
			return 0;
		}
		if (n == 2) {
			return choose(nodes, 0, 1, now);
		}
		int a = 0;
		int b = 1;
		for (int draw = 0; draw < PICK_TIMES; draw++) {
			a = this.random.nextInt(n);
			b = this.random.nextInt(n - 1);
			if (b >= a) {
				b++;
			}
			if (usable(nodes[a], now) && usable(nodes[b], now)) {
				break;
			}
		}
		return choose(nodes, a, b, now);
	}

	private static boolean usable(NodeStats node, long now) {
		return node.isHealthy() && node.isAvailable(now);
	}

	private int choose(NodeStats[] nodes, int a, int b, long now) {
		boolean aAvailable = nodes[a].isAvailable(now);
		boolean bAvailable = nodes[b].isAvailable(now);
		if (aAvailable != bAvailable) {
			return admitted(nodes, aAvailable ? a : b, now);
		}
		if (!aAvailable) {
			// both ejected: any available node beats them; if there is none, compare the pair as usual
			int other = Picker.firstAdmitting(nodes, b, now);
			if (other >= 0) {
				return picked(nodes, other, now);
			}
			return picked(nodes, (nodes[a].load() > nodes[b].load()) ? b : a, now);
		}
		int better = a;
		int worse = b;
		if (nodes[a].load() > nodes[b].load()) {
			better = b;
			worse = a;
		}
		if (nodes[worse].claimOverduePick(now) && nodes[worse].tryAdmit(now)) {
			return worse;
		}
		return admitted(nodes, better, now);
	}

	/** The chosen node if it admits the call; if another thread just took its probation call, the next that does. */
	private static int admitted(NodeStats[] nodes, int index, long now) {
		if (nodes[index].tryAdmit(now)) {
			return picked(nodes, index, now);
		}
		int other = Picker.firstAdmitting(nodes, index, now);
		return picked(nodes, (other >= 0) ? other : index, now);
	}

	private static int picked(NodeStats[] nodes, int index, long now) {
		nodes[index].picked(now);
		return index;
	}

}

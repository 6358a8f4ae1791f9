package io.github.rpcdiscovery.balancer;

import java.util.random.RandomGenerator;

/**
 * go-zero's p2c_ewma: power of two choices over the nodes' {@link NodeStats#load() load}.
 * <ul>
 * <li>one node: it; two nodes: the one with the lower load;</li>
 * <li>more: up to three draws of two distinct random nodes, until both are healthy (success above 500) and not
 * ejected, else the last pair drawn; of the pair, the lower load wins;</li>
 * <li>unlike go-zero, calls in flight count per unit of the node's {@link NodeStats#weight() weight}, loads within
 * {@value #NEAR_EQUAL} of each other are equal, and of two equal nodes the one furthest behind its share wins (the
 * lower stride-scheduling pass: picks divided by weight): a fixed ranking by noise (1.00 ms against 1.02 ms) would
 * send one caller's sequential calls to the same node every time, and the third of three equal nodes would get none;
 * this way equal nodes take turns, and nodes of weights 1, 2 and 4 get 1/7, 2/7 and 4/7 of the calls. A node with
 * fewer than two latency samples ({@link NodeStats#hasLatency}) is compared by its calls in flight only, and until
 * its average is warm ({@link NodeStats#isWarm}) loads within {@value #NEAR_EQUAL_WARMING} are equal;</li>
 * <li>but if the other node of the pair was not picked for over {@code forcePick} (1 s), it is picked instead: a probe,
 * so a node that was slow or failing gets a chance to show it recovered.</li>
 * </ul>
 * Unlike go-zero, an ejected node is never the choice while another node is available, and is not probed by the
 * one-second rule: its ejection back-off decides when it is tried again.
 */
public final class P2cEwmaPicker implements Picker {

	private static final int PICK_TIMES = 3;

	/**
	 * Loads within this ratio are equal: with the same calls in flight, latencies within a factor of 2 (the load grows
	 * with the square root of the latency: averages of sub-millisecond loopback calls on a busy machine differ by tens
	 * of percent from noise alone); 2 calls in flight against 1, or 3 against 2, count.
	 */
	static final double NEAR_EQUAL = 1.415;

	/**
	 * The same while either node's latency average has few samples: latencies within a factor of 16 are equal (the
	 * load grows with the square root of the latency), so a node whose first answers were slower by cold-start noise
	 * stays in turn, while one slow from the start (500 ms against 20 ms) is told apart; calls in flight alone, before a
	 * node has latency samples, use {@link #NEAR_EQUAL}.
	 */
	static final double NEAR_EQUAL_WARMING = 4;

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
		if (isBetter(nodes[b], nodes[a])) {
			better = b;
			worse = a;
		}
		if (nodes[worse].claimOverduePick(now) && nodes[worse].tryAdmit(now)) {
			return worse;
		}
		return admitted(nodes, better, now);
	}

	/** Whether {@code x} beats {@code y}: a clearly lower load per weight, or an equal one and a lower pass. */
	private static boolean isBetter(NodeStats x, NodeStats y) {
		boolean byLatency = x.hasLatency() && y.hasLatency();
		double loadX = loadPerWeight(x, byLatency);
		double loadY = loadPerWeight(y, byLatency);
		double nearEqual = (byLatency && !(x.isWarm() && y.isWarm())) ? NEAR_EQUAL_WARMING : NEAR_EQUAL;
		if (loadX * nearEqual < loadY) {
			return true;
		}
		if (loadY * nearEqual < loadX) {
			return false;
		}
		return x.pass() - y.pass() < 0;
	}

	/**
	 * go-zero's load with the calls in flight counted per unit of weight, {@code sqrt(lag + 1) * (inflight / weight +
	 * 1)}: a node of weight 4 carries 4 calls in flight for every one of a node of weight 1 before it counts as more
	 * loaded, while idle nodes stay equal and share by weight through the pass. Without a ranked latency, the calls in
	 * flight alone.
	 */
	private static double loadPerWeight(NodeStats node, boolean byLatency) {
		double queue = (double) node.inflight() / node.weight() + 1;
		return byLatency ? Math.sqrt(node.lagNanos() + 1) * queue : queue;
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

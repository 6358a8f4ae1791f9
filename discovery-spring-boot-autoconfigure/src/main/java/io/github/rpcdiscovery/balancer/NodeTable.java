package io.github.rpcdiscovery.balancer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The statistics of every node of one service, by node identity. Unlike go-zero, which starts from zero on every
 * change of the address list, statistics survive list changes: a node that stays keeps what was learnt about it, and
 * a node that leaves and comes back (a restart, a flapping registration) is recognised. A node that left is forgotten
 * once it has been absent for {@code forgetAfter}, so memory is bounded by the nodes seen in that window.
 */
public final class NodeTable {

	private final Map<String, NodeStats> nodes = new ConcurrentHashMap<>();

	private final BalancerSettings settings;

	private final NanoClock clock;

	private final EjectionListener listener;

	private final long forgetAfterNanos;

	public NodeTable(BalancerSettings settings, NanoClock clock, EjectionListener listener) {
		this.settings = settings;
		this.clock = clock;
		this.listener = listener;
		this.forgetAfterNanos = settings.forgetAfter().toNanos();
	}

	public NanoClock clock() {
		return this.clock;
	}

	/** The statistics of a node, created on first sight. */
	public NodeStats node(String id) {
		NodeStats node = this.nodes.get(id);
		return (node != null) ? node : this.nodes.computeIfAbsent(id,
				(key) -> new NodeStats(key, this.settings, this.listener, this.clock.nanoTime()));
	}

	/** The statistics of a node if it is known. */
	public NodeStats find(String id) {
		return this.nodes.get(id);
	}

	/**
	 * Forgets nodes that are not listed now, have not been seen for {@code forgetAfter} and have no call in flight.
	 * @param listed whether a node is in the current list
	 * @return how many nodes were forgotten
	 */
	public int forgetDeparted(Predicate<NodeStats> listed) {
		long now = this.clock.nanoTime();
		int forgotten = 0;
		for (Iterator<NodeStats> it = this.nodes.values().iterator(); it.hasNext();) {
			NodeStats node = it.next();
			if (now - node.lastSeen() > this.forgetAfterNanos && node.inflight() <= 0 && !listed.test(node)) {
				it.remove();
				forgotten++;
			}
		}
		return forgotten;
	}

	public Collection<NodeStats> nodes() {
		return List.copyOf(new ArrayList<>(this.nodes.values()));
	}

	public int size() {
		return this.nodes.size();
	}

}

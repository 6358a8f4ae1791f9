package io.github.rpcdiscovery.balancer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * Picks one item of a list with a {@link Picker} over the items' {@link NodeStats}, for any kind of item (Spring
 * Cloud {@code ServiceInstance}s, gRPC subchannels): the caller says how to name an item's node and, optionally, its
 * weight ({@link InstanceWeight}).
 * <p>
 * The list handed to {@link #pick} is mapped to its nodes once and the mapping reused for as long as the same list
 * (the same object, or the same items in the same order) comes back, so a pick costs the picker and nothing else: no
 * lookup, no allocation. A new list costs one lookup per item; the statistics themselves live in the
 * {@link NodeTable} and survive list changes.
 * <p>
 * With {@link RoutingSettings} and a way to read an item's metadata, a pick is routed first ({@link RouteTable}: the
 * hint's subset, the canary's share, the caller's zone with spill-over) and the picker chooses among the route's
 * nodes; the routes are computed with the mapping, when the list changes.
 *
 * @param <T> the item type
 */
public final class Balancer<T> {

	private final NodeTable table;

	private final Picker picker;

	private final Function<? super T, String> nodeId;

	private final ToIntFunction<? super T> weightOf;

	private final @Nullable Function<? super T, Map<String, String>> metadataOf;

	private final @Nullable RoutingSettings routing;

	private final @Nullable RandomGenerator random;

	private final ZonePicks zonePicks;

	private volatile View<T> view = new View<>(List.of(), List.of(), new NodeStats[0], null, new LongAdder[0]);

	public Balancer(NodeTable table, Picker picker, Function<? super T, String> nodeId) {
		this(table, picker, nodeId, (item) -> InstanceWeight.DEFAULT);
	}

	public Balancer(NodeTable table, Picker picker, Function<? super T, String> nodeId,
			ToIntFunction<? super T> weightOf) {
		this.table = table;
		this.picker = picker;
		this.nodeId = nodeId;
		this.weightOf = weightOf;
		this.metadataOf = null;
		this.routing = null;
		this.random = null;
		this.zonePicks = new ZonePicks(null);
	}

	/**
	 * A balancer that routes before it picks.
	 * @param metadataOf an item's metadata (zone, subset key, Kubernetes hints)
	 * @param routing how to route
	 * @param random draws the canary's and the spill-over's shares
	 */
	public Balancer(NodeTable table, Picker picker, Function<? super T, String> nodeId,
			ToIntFunction<? super T> weightOf, Function<? super T, Map<String, String>> metadataOf,
			RoutingSettings routing, RandomGenerator random) {
		this.table = table;
		this.picker = picker;
		this.nodeId = nodeId;
		this.weightOf = weightOf;
		this.metadataOf = metadataOf;
		this.routing = routing;
		this.random = random;
		this.zonePicks = new ZonePicks(routing.zone().active() ? routing.zone().localZone() : null);
	}

	/** One of the items, or {@code null} if the list is empty. */
	public @Nullable T pick(List<? extends T> items) {
		return pick(items, null);
	}

	/**
	 * One of the items, or {@code null} if there is none to take the call: the list is empty, or a hint selects no
	 * available item and the fallback is to fail.
	 * @param hint the call's subset hint (e.g. {@code canary}), or {@code null}; ignored without routing
	 */
	public @Nullable T pick(List<? extends T> items, @Nullable String hint) {
		View<T> current = this.view;
		if (!current.matches(items)) {
			current = update(items);
		}
		RouteTable routes = current.routes;
		int index;
		if (routes != null) {
			index = routes.pick(hint, this.picker, this.random, this.table.clock().nanoTime());
			if (index >= 0) {
				current.zoneCounters[index].increment();
			}
		}
		else {
			index = this.picker.pick(current.nodes);
		}
		return (index >= 0) ? current.items.get(index) : null;
	}

	/** The share of calls without a hint that currently leaves the caller's zone, 0 to 1. */
	public double spill() {
		RouteTable routes = this.view.routes;
		return (routes != null) ? routes.spill() : 0;
	}

	/** Picks counted by the zone of the node picked (counted only with routing). */
	public ZonePicks zonePicks() {
		return this.zonePicks;
	}

	/** The statistics of an item's node: for an item of the current list a map read, else by its name. */
	public NodeStats statsOf(T item) {
		NodeStats node = this.view.byItem.get(item);
		return (node != null) ? node : this.table.node(this.nodeId.apply(item));
	}

	/** Forgets departed nodes (see {@link NodeTable#forgetDeparted}); call now and then, not per pick. */
	public int forgetDeparted() {
		View<T> current = this.view;
		return this.table.forgetDeparted(current::lists);
	}

	/** The state of every known node, listed ones first in list order. */
	public List<NodeState> states() {
		View<T> current = this.view;
		long now = this.table.clock().nanoTime();
		List<NodeState> states = new ArrayList<>();
		double[] recent = new double[current.nodes.length];
		double total = 0;
		for (int i = 0; i < recent.length; i++) {
			recent[i] = current.nodes[i].recentCalls(now);
			total += recent[i];
		}
		for (int i = 0; i < recent.length; i++) {
			states.add(current.nodes[i].state(now, true, (total > 0) ? 100 * recent[i] / total : 0));
		}
		for (NodeStats node : this.table.nodes()) {
			if (!current.lists(node)) {
				states.add(node.state(now, false));
			}
		}
		return states;
	}

	public Picker picker() {
		return this.picker;
	}

	public NodeTable table() {
		return this.table;
	}

	private View<T> update(List<? extends T> items) {
		long now = this.table.clock().nanoTime();
		View<T> previous = this.view;
		NodeStats[] nodes = new NodeStats[items.size()];
		for (int i = 0; i < nodes.length; i++) {
			nodes[i] = this.table.node(this.nodeId.apply(items.get(i)));
			nodes[i].seen(now);
			nodes[i].weight(this.weightOf.applyAsInt(items.get(i)));
		}
		if (previous.nodes.length > 0) {
			long floor = previous.nodes[0].pass();
			for (NodeStats node : previous.nodes) {
				floor = (node.pass() - floor < 0) ? node.pass() : floor;
			}
			for (NodeStats node : nodes) {
				if (!previous.lists(node)) {
					node.passAtLeast(floor);
				}
			}
		}
		RouteTable routes = null;
		LongAdder[] zoneCounters = new LongAdder[nodes.length];
		if (this.routing != null && this.metadataOf != null) {
			NodeTraits[] traits = new NodeTraits[nodes.length];
			for (int i = 0; i < nodes.length; i++) {
				traits[i] = NodeTraits.of(this.metadataOf.apply(items.get(i)), this.routing.subset().key());
				zoneCounters[i] = this.zonePicks.counter(traits[i].zone());
			}
			routes = RouteTable.of(nodes, traits, this.routing, now);
		}
		View<T> updated = new View<>(items, List.copyOf(items), nodes, routes, zoneCounters);
		this.view = updated;
		return updated;
	}

	/** A list and its nodes, index for index. */
	private static final class View<T> {

		final List<T> items;

		final NodeStats[] nodes;

		/** The routes over the nodes, {@code null} without routing. */
		final @Nullable RouteTable routes;

		/** Each node's zone's pick counter, index for index (entries are {@code null} without routing). */
		final LongAdder[] zoneCounters;

		final Map<T, NodeStats> byItem = new IdentityHashMap<>();

		private final Set<NodeStats> listed = Collections.newSetFromMap(new IdentityHashMap<>());

		private final List<?> source;

		View(List<?> source, List<T> items, NodeStats[] nodes, @Nullable RouteTable routes, LongAdder[] zoneCounters) {
			this.items = items;
			this.nodes = nodes;
			this.routes = routes;
			this.zoneCounters = zoneCounters;
			this.source = source;
			for (int i = 0; i < nodes.length; i++) {
				this.byItem.put(items.get(i), nodes[i]);
				this.listed.add(nodes[i]);
			}
		}

		boolean matches(List<?> candidate) {
			if (candidate == this.source) {
				return true;
			}
			int n = this.items.size();
			if (candidate.size() != n) {
				return false;
			}
			// decorators (zone preference, ...) hand out a new list with the same items on every call
			for (int i = 0; i < n; i++) {
				if (candidate.get(i) != this.items.get(i)) {
					return false;
				}
			}
			return true;
		}

		boolean lists(NodeStats node) {
			return this.listed.contains(node);
		}

	}

}

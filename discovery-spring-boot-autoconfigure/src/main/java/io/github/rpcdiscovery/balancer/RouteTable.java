package io.github.rpcdiscovery.balancer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * The routes of one instance list, computed when the list changes, never per pick: all nodes, the nodes of each
 * subset value (a hint selects one), and the canary and stable parts when a canary is set; each split by zone
 * ({@link ZoneRoute}).
 * <ul>
 * <li>A call with a hint goes to the nodes whose subset key has that value; if there are none, or all are ejected,
 * it goes to all nodes ({@link SubsetSettings.Fallback#ALL}) or gets none ({@link SubsetSettings.Fallback#FAIL}).</li>
 * <li>A call without a hint goes to the canary nodes with the canary's percentage (if any of them is available),
 * else to the other nodes (to all when every node is a canary).</li>
 * </ul>
 */
final class RouteTable {

	private final ZoneRoute all;

	private final Map<String, ZoneRoute> bySubset;

	private final SubsetSettings.Fallback fallback;

	private final @Nullable ZoneRoute canary;

	private final ZoneRoute stable;

	private final double canaryFraction;

	private RouteTable(ZoneRoute all, Map<String, ZoneRoute> bySubset, SubsetSettings.Fallback fallback,
			@Nullable ZoneRoute canary, ZoneRoute stable, double canaryFraction) {
		this.all = all;
		this.bySubset = bySubset;
		this.fallback = fallback;
		this.canary = canary;
		this.stable = stable;
		this.canaryFraction = canaryFraction;
	}

	static RouteTable of(NodeStats[] nodes, NodeTraits[] traits, RoutingSettings settings, long now) {
		int n = nodes.length;
		boolean[] local = localNodes(traits, settings.zone());
		List<Integer> everyIndex = new ArrayList<>(n);
		Map<String, List<Integer>> subsets = new LinkedHashMap<>();
		SubsetSettings.Canary canary = settings.subset().canary();
		List<Integer> stable = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			everyIndex.add(i);
			String value = traits[i].subset();
			if (value != null) {
				subsets.computeIfAbsent(value, (key) -> new ArrayList<>()).add(i);
			}
			if (canary == null || !canary.value().equals(value)) {
				stable.add(i);
			}
		}
		ZoneRoute all = route(everyIndex, nodes, local, settings.zone(), now);
		Map<String, ZoneRoute> bySubset = new HashMap<>();
		subsets.forEach((value, indexes) -> bySubset.put(value, route(indexes, nodes, local, settings.zone(), now)));
		ZoneRoute canaryRoute = (canary != null) ? bySubset.get(canary.value()) : null;
		ZoneRoute stableRoute = (canaryRoute != null && !stable.isEmpty())
				? route(stable, nodes, local, settings.zone(), now) : all;
		return new RouteTable(all, bySubset, settings.subset().fallback(), canaryRoute, stableRoute,
				(canary != null) ? canary.percent() / 100 : 0);
	}

	/**
	 * The caller's zone's nodes: those an EndpointSlice hints for it when every node carries hints (as kube-proxy
	 * does: hints on only some endpoints are ignored), else those whose zone is the caller's.
	 */
	private static boolean[] localNodes(NodeTraits[] traits, ZoneSettings zone) {
		boolean[] local = new boolean[traits.length];
		if (!zone.active()) {
			return local;
		}
		boolean hinted = traits.length > 0;
		for (NodeTraits node : traits) {
			hinted &= !node.forZones().isEmpty();
		}
		for (int i = 0; i < traits.length; i++) {
			local[i] = hinted ? traits[i].forZones().contains(zone.localZone())
					: zone.localZone().equals(traits[i].zone());
		}
		return local;
	}

	private static ZoneRoute route(List<Integer> indexes, NodeStats[] nodes, boolean[] local, ZoneSettings zone,
			long now) {
		int locals = 0;
		for (int index : indexes) {
			locals += local[index] ? 1 : 0;
		}
		ZoneRoute.Side every = side(indexes, nodes, local, null, indexes.size());
		ZoneRoute.Side inZone = side(indexes, nodes, local, true, locals);
		ZoneRoute.Side elsewhere = side(indexes, nodes, local, false, indexes.size() - locals);
		return new ZoneRoute(every, inZone, elsewhere, zone, now);
	}

	private static ZoneRoute.Side side(List<Integer> indexes, NodeStats[] nodes, boolean[] local,
			@Nullable Boolean wanted, int size) {
		NodeStats[] sideNodes = new NodeStats[size];
		int[] viewIndex = new int[size];
		int k = 0;
		for (int index : indexes) {
			if (wanted == null || local[index] == wanted) {
				sideNodes[k] = nodes[index];
				viewIndex[k++] = index;
			}
		}
		return new ZoneRoute.Side(sideNodes, viewIndex);
	}

	/**
	 * @param hint the call's hint, or {@code null}
	 * @return the view index of the chosen node, or -1 if there is none (no node, or a hint that selects none with
	 * {@link SubsetSettings.Fallback#FAIL})
	 */
	int pick(@Nullable String hint, Picker picker, RandomGenerator random, long now) {
		ZoneRoute route = this.all;
		if (hint != null) {
			ZoneRoute subset = this.bySubset.get(hint);
			if (subset != null && subset.anyAvailable(now)) {
				route = subset;
			}
			else if (this.fallback == SubsetSettings.Fallback.FAIL) {
				return -1;
			}
		}
		else if (this.canary != null) {
			boolean toCanary = random.nextDouble() < this.canaryFraction && this.canary.anyAvailable(now);
			route = toCanary ? this.canary : this.stable;
		}
		return route.pick(picker, random, now);
	}

	/** The share of calls without a hint that leaves the caller's zone, 0 to 1. */
	double spill() {
		return ((this.canary != null) ? this.stable : this.all).spill();
	}

}

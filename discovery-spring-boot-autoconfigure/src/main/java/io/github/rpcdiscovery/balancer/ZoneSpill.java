package io.github.rpcdiscovery.balancer;

/**
 * The share of calls that leaves the caller's zone. A local node is degraded while it is ejected or on probation,
 * while its failure rate is over {@code maxFailureRate}, or while its latency average is over {@code latencyRatio}
 * times the best latency of the other zones' available nodes and more than {@code latencyMargin} over it and so was its latest call: the average of a node that only gets probes forgets a slow spell in tens of
 * seconds (its time constant), while one fast probe shows the recovery. With {@code h} the healthy share of the local nodes by weight, the share that leaves is
 * {@code 1 - min(1, h * overprovisioning)}: nothing while enough local nodes keep up (with the default 1.5, two of
 * three), then more as more degrade, all of it when none is healthy; nothing when no other zone has an available node.
 */
final class ZoneSpill {

	private ZoneSpill() {
	}

	static double share(NodeStats[] local, NodeStats[] remote, ZoneSettings settings, long now) {
		double best = Double.MAX_VALUE;
		boolean remoteAvailable = false;
		for (NodeStats node : remote) {
			if (node.isAvailable(now)) {
				remoteAvailable = true;
				if (node.hasLatency() && !node.isSuspended()) {
					best = Math.min(best, node.lagNanos());
				}
			}
		}
		if (!remoteAvailable) {
			return 0;
		}
		double total = 0;
		double healthy = 0;
		for (NodeStats node : local) {
			total += node.weight();
			if (!isDegraded(node, best, settings)) {
				healthy += node.weight();
			}
		}
		return (total > 0) ? 1 - Math.min(1, healthy / total * settings.overprovisioning()) : 1;
	}

	static boolean isDegraded(NodeStats node, double bestRemoteNanos, ZoneSettings settings) {
		if (node.isSuspended()) {
			return true;
		}
		if (1 - node.success() / BalancerSettings.INITIAL_SUCCESS > settings.maxFailureRate()) {
			return true;
		}
		if (bestRemoteNanos == Double.MAX_VALUE || !node.hasLatency()) {
			return false;
		}
		return isSlow(node.lagNanos(), bestRemoteNanos, settings)
				&& isSlow(node.lastLatencyNanos(), bestRemoteNanos, settings);
	}

	private static boolean isSlow(double nanos, double bestRemoteNanos, ZoneSettings settings) {
		return nanos > bestRemoteNanos * settings.latencyRatio()
				&& nanos - bestRemoteNanos > settings.latencyMargin().toNanos();
	}

}

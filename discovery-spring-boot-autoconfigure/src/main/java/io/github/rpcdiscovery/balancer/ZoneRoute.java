package io.github.rpcdiscovery.balancer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * A set of candidate nodes split into the caller's zone and the others, with spill-over: the local nodes get the
 * calls while they keep up, and a share {@link ZoneSpill#share} of the calls goes to the other zones as they degrade
 * (slow, failing, ejected), coming back as they recover. The side that gets no calls is probed: a node of it not
 * picked for {@code probeInterval} (or whose ejection ended) takes one call, so the other zones' latency is known
 * before it is needed and a local recovery is seen.
 * <p>
 * The share is recomputed at most every {@value #REFRESH_MILLIS} ms by whichever pick comes then; a pick reads it
 * and draws one random number, without allocating. Without a zone preference (or with no node on one side) it is
 * the picker over all nodes.
 */
final class ZoneRoute {

	static final long REFRESH_MILLIS = 100;

	private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(REFRESH_MILLIS);

	private static final VarHandle PROBE;

	private static final VarHandle NEXT_REFRESH;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			PROBE = lookup.findVarHandle(ZoneRoute.class, "probe", int.class);
			NEXT_REFRESH = lookup.findVarHandle(ZoneRoute.class, "nextRefresh", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Side all;

	private final Side local;

	private final Side remote;

	private final ZoneSettings settings;

	private final long probeNanos;

	private volatile double spill;

	private volatile long nextRefresh;

	/** A node of {@link #all} due for a probe, or -1. */
	private volatile int probe = -1;

	private int probeCursor;

	ZoneRoute(Side all, Side local, Side remote, ZoneSettings settings, long now) {
		this.all = all;
		this.local = local;
		this.remote = remote;
		this.settings = settings;
		this.probeNanos = settings.probeInterval().toNanos();
		this.nextRefresh = now;
	}

	/** @return the view index of the chosen node, or -1 if there is none */
	int pick(Picker picker, RandomGenerator random, long now) {
		if (this.local.isEmpty() || this.remote.isEmpty()) {
			return this.all.pick(picker);
		}
		long due = this.nextRefresh;
		if (now - due >= 0 && NEXT_REFRESH.compareAndSet(this, due, now + REFRESH_NANOS)) {
			refresh(now);
		}
		int probing = this.probe;
		if (probing >= 0 && PROBE.compareAndSet(this, probing, -1)) {
			NodeStats node = this.all.nodes[probing];
			if (node.isAvailable(now) && node.tryAdmit(now)) {
				node.picked(now);
				return this.all.viewIndex[probing];
			}
		}
		double share = this.spill;
		boolean out = share > 0 && (share >= 1 || random.nextDouble() < share);
		return (out ? this.remote : this.local).pick(picker);
	}

	private void refresh(long now) {
		this.spill = ZoneSpill.share(this.local.nodes, this.remote.nodes, this.settings, now);
		if (this.probe >= 0) {
			return;
		}
		NodeStats[] nodes = this.all.nodes;
		int n = nodes.length;
		int start = this.probeCursor;
		for (int i = 0; i < n; i++) {
			int index = (start + i) % n;
			NodeStats node = nodes[index];
			if (node.isAvailable(now) && (node.awaitsProbe(now) || node.notPickedFor(now, this.probeNanos))) {
				this.probeCursor = index + 1;
				this.probe = index;
				return;
			}
		}
	}

	/** Whether any node of the route may take a call now. */
	boolean anyAvailable(long now) {
		for (NodeStats node : this.all.nodes) {
			if (node.isAvailable(now)) {
				return true;
			}
		}
		return false;
	}

	/** The share of calls leaving the local zone, 0 to 1, as last computed. */
	double spill() {
		return this.local.isEmpty() || this.remote.isEmpty() ? (this.local.isEmpty() ? 1 : 0) : this.spill;
	}

	boolean isEmpty() {
		return this.all.isEmpty();
	}

	/** Some of a view's nodes, with their indexes in the view. */
	static final class Side {

		final NodeStats[] nodes;

		final int[] viewIndex;

		Side(NodeStats[] nodes, int[] viewIndex) {
			this.nodes = nodes;
			this.viewIndex = viewIndex;
		}

		boolean isEmpty() {
			return this.nodes.length == 0;
		}

		int pick(Picker picker) {
			int index = picker.pick(this.nodes);
			return (index >= 0) ? this.viewIndex[index] : -1;
		}

	}

}

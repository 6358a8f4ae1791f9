package io.github.rpcdiscovery.balancer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the balancer knows about one node: calls in flight, an exponentially weighted average of its latency and of
 * its success (go-zero's p2c_ewma subConn), and whether it is ejected.
 * <p>
 * Reads for a pick are lock-free volatile reads; a completed call updates the averages under the node's own lock (one
 * completion per call, so it is not contended). The success average decays with time (go-zero): a sample {@code Δt}
 * after the previous completion weighs {@code 1 - exp(-Δt/τ)}, the first sample weighs 1.
 * <p>
 * The latency average is a {@link LatencyAverage}: it forgets cold first samples and lone stalls. The picker ranks a
 * node by it from its second sample on ({@link #hasLatency}), only coarsely until it has
 * {@value #RANKED_AFTER_SAMPLES} ({@link #isWarm}): an average of fewer sub-millisecond samples is mostly noise, and a
 * node ranked last by noise gets no calls to correct it; a node slow from its first call is still told apart after
 * two.
 * <p>
 * Ejection is on top of the averages, because the averages decay with time and would take seconds of failures to
 * turn a node unhealthy: a refused connection, or {@code ejectAfterFailures} failures in a row, eject the node for a
 * back-off that doubles with every ejection until a call succeeds. When the back-off ends the node is on probation:
 * it takes one call at a time, and that call decides whether it is readmitted or ejected again for longer. "One at a
 * time" holds from the pick on, not from the start of the call: of the threads that pick the node at the same moment
 * ({@link #tryAdmit}), one gets it. A probe picked but never started (the request failed before it was sent) frees
 * the node after {@code firstEjection}.
 * <p>
 * Longer than this project's 300 lines on purpose: everything a pick reads (calls in flight, pass, weight, probation
 * claim, ejection) is in one object of plain volatile fields, read without indirection on the pick path; the latency
 * average, read once per pick, is its own class ({@link LatencyAverage}).
 */
public final class NodeStats {

	private static final VarHandle INFLIGHT;

	private static final VarHandle LAST_PICK;

	private static final VarHandle PROBE_CLAIMED_AT;

	private static final VarHandle PASS;

	/** What a pick of a node of weight 1 adds to its pass; a node of weight w adds {@code PASS_UNIT / w}. */
	static final long PASS_UNIT = 1L << 32;

	/** Latency samples before the picker ranks the node by its latency as finely as it can. */
	static final int RANKED_AFTER_SAMPLES = 50;

	/** Latency samples before the picker ranks the node by its latency at all (roughly until {@link #isWarm}). */
	static final int FIRST_RANKED_SAMPLES = 2;

	/** No probe is claimed. */
	private static final long UNCLAIMED = Long.MIN_VALUE;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			INFLIGHT = lookup.findVarHandle(NodeStats.class, "inflight", int.class);
			LAST_PICK = lookup.findVarHandle(NodeStats.class, "lastPick", long.class);
			PROBE_CLAIMED_AT = lookup.findVarHandle(NodeStats.class, "probeClaimedAt", long.class);
			PASS = lookup.findVarHandle(NodeStats.class, "pass", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String id;

	private final long decayNanos;

	private final long forcePickNanos;

	private final int ejectAfterFailures;

	private final long firstEjectionNanos;

	private final long maxEjectionNanos;

	private final EjectionListener listener;

	private volatile int inflight;

	private volatile long lastPick;

	private final LatencyAverage latency = new LatencyAverage();

	private volatile double success = BalancerSettings.INITIAL_SUCCESS;


	/** The instance's weight, 1 unless its metadata says otherwise. */
	private volatile int weight = 1;

	/**
	 * Stride scheduling's pass: grows by {@code PASS_UNIT / weight} with every pick, so of nodes with equal loads the
	 * lowest pass is the one furthest behind its share.
	 */
	private volatile long pass;

	/** Ejected, or on probation after an ejection: has not yet answered a call made after its ejection ended. */
	private volatile boolean suspended;

	private volatile long ejectedUntil;

	/** When a pick claimed the probation call ({@link #UNCLAIMED} if none is claimed). */
	private volatile long probeClaimedAt = UNCLAIMED;

	private volatile long lastSeen;

	private volatile long calls;

	private volatile long failures;

	// guarded by this

	private boolean sampled;


	private long lastCompletion;

	/** Calls completed, each decaying with time like the averages (τ): the node's recent call count. */
	private double recentCalls;

	private int consecutiveFailures;

	private int ejections;

	private long suspendedSince;

	NodeStats(String id, BalancerSettings settings, EjectionListener listener, long now) {
		this.id = id;
		this.decayNanos = settings.decay().toNanos();
		this.forcePickNanos = settings.forcePick().toNanos();
		this.ejectAfterFailures = settings.ejectAfterFailures();
		this.firstEjectionNanos = settings.firstEjection().toNanos();
		this.maxEjectionNanos = settings.maxEjection().toNanos();
		this.listener = listener;
		// never picked: like go-zero's zero pick time, a new node is due for a probe at once
		this.lastPick = now - this.forcePickNanos - 1;
		this.lastSeen = now;
	}

	/** The stable identity the statistics are kept under, e.g. {@code 127.0.0.1:8080}. */
	public String id() {
		return this.id;
	}

	/** go-zero's load: {@code sqrt(lag + 1) * (inflight + 1)}, lag in nanoseconds. Lower is better. */
	public double load() {
		return Math.sqrt(this.latency.nanos() + 1) * (this.inflight + 1);
	}

	public int inflight() {
		return this.inflight;
	}

	/** The success score, 0..1000: an average of 1000 per success and 0 per failure. */
	public double success() {
		return this.success;
	}

	/** The average latency in nanoseconds. */
	public double lagNanos() {
		return this.latency.nanos();
	}

	/** The latency of the latest call that counted (refused connections do not), in nanoseconds. */
	public long lastLatencyNanos() {
		return this.latency.last();
	}

	/** Whether the success score is above go-zero's throttle threshold (500). */
	public boolean isHealthy() {
		return this.success > BalancerSettings.HEALTHY_SUCCESS;
	}

	/**
	 * Whether the node may take a call now: it is not ejected, and if it is on probation no other call is in flight
	 * to it or picked for it.
	 */
	public boolean isAvailable(long now) {
		return !this.suspended || (now - this.ejectedUntil >= 0 && this.inflight == 0 && !isProbeClaimed(now));
	}

	/**
	 * Admits a call that a picker chose for this node: always while the node is admitted; on probation, for exactly
	 * one of the threads that race for it, and for none until that call has ended.
	 * @return whether the call may go to this node
	 */
	boolean tryAdmit(long now) {
		if (!this.suspended) {
			return true;
		}
		long claimed = this.probeClaimedAt;
		return now - this.ejectedUntil >= 0 && this.inflight == 0 && !isClaimLive(claimed, now)
				&& PROBE_CLAIMED_AT.compareAndSet(this, claimed, now);
	}

	private boolean isProbeClaimed(long now) {
		return isClaimLive(this.probeClaimedAt, now);
	}

	private boolean isClaimLive(long claimedAt, long now) {
		return claimedAt != UNCLAIMED && now - claimedAt < this.firstEjectionNanos;
	}

	public boolean isEjected(long now) {
		return this.suspended && now - this.ejectedUntil < 0;
	}

	/** A call to this node starts. Every call started must end with {@link #callCompleted} or {@link #callAbandoned}. */
	public void callStarted() {
		INFLIGHT.getAndAdd(this, 1);
	}

	/** A call whose outcome will never be known (cancelled): frees its slot and teaches nothing. */
	public void callAbandoned() {
		INFLIGHT.getAndAdd(this, -1);
		// it may have been the probe: the next pick may try again
		this.probeClaimedAt = UNCLAIMED;
	}

	/**
	 * A call to this node ended.
	 * @param startedAt when it started, from the same clock
	 * @param now when it ended
	 * @param outcome how it ended
	 */
	public void callCompleted(long startedAt, long now, Outcome outcome) {
		INFLIGHT.getAndAdd(this, -1);
		Runnable event;
		synchronized (this) {
			double weight = this.sampled ? Math.exp(-(double) Math.max(0, now - this.lastCompletion) / this.decayNanos)
					: 0;
			this.sampled = true;
			this.recentCalls = this.recentCalls * decayed(now) + 1;
			this.lastCompletion = now;
			if (outcome != Outcome.CONNECT_FAILURE) {
				// a refused connection says nothing about how fast the node serves
				this.latency.add(Math.max(0, now - startedAt), 1 - weight);
			}
			double sample = outcome.isSuccess() ? BalancerSettings.INITIAL_SUCCESS : 0;
			this.success = this.success * weight + sample * (1 - weight);
			this.calls++;
			if (!outcome.isSuccess()) {
				this.failures++;
			}
			event = updateEjection(startedAt, now, outcome);
		}
		if (event != null) {
			event.run();
		}
	}

	/** How much of the recent call count is left at {@code now}; guarded by this. */
	private double decayed(long now) {
		return Math.exp(-(double) Math.max(0, now - this.lastCompletion) / this.decayNanos);
	}

	/** The calls completed recently, each weighing {@code exp(-age/τ)}: summed over the nodes, each one's share. */
	synchronized double recentCalls(long now) {
		return this.sampled ? this.recentCalls * decayed(now) : 0;
	}

	/** Whether the latency average has {@value #RANKED_AFTER_SAMPLES} samples: before, it is a rough ranking. */
	public boolean isWarm() {
		return this.latency.samples() >= RANKED_AFTER_SAMPLES;
	}

	/**
	 * Whether the latency average has {@value #FIRST_RANKED_SAMPLES} samples: their median (the lower one of two) is
	 * no longer a lone cold sample, and a node slow from its first call is told apart from the others.
	 */
	public boolean hasLatency() {
		return this.latency.samples() >= FIRST_RANKED_SAMPLES;
	}

	private Runnable updateEjection(long startedAt, long now, Outcome outcome) {
		// a call started after the ejection ended is a probe: it decides
		boolean probe = this.suspended && startedAt - this.ejectedUntil >= 0;
		if (probe) {
			// the probe has ended: whatever it decides, its claim is over (a new ejection is waited out first)
			this.probeClaimedAt = UNCLAIMED;
		}
		if (outcome.isSuccess()) {
			this.consecutiveFailures = 0;
			if (probe) {
				this.suspended = false;
				this.ejections = 0;
				long outage = now - this.suspendedSince;
				return () -> this.listener.readmitted(this, outage);
			}
			return null;
		}
		if (isEjected(now)) {
			// late failures of calls made before the ejection do not extend it
			return null;
		}
		this.consecutiveFailures++;
		if (outcome == Outcome.CONNECT_FAILURE || probe || this.consecutiveFailures >= this.ejectAfterFailures) {
			long duration = ejectionDuration(++this.ejections);
			if (!this.suspended) {
				this.suspendedSince = now;
			}
			this.ejectedUntil = now + duration;
			this.suspended = true;
			this.consecutiveFailures = 0;
			int count = this.ejections;
			return () -> this.listener.ejected(this, outcome, count, duration);
		}
		return null;
	}

	private long ejectionDuration(int ejection) {
		long duration = this.firstEjectionNanos;
		for (int i = 1; i < ejection && duration < this.maxEjectionNanos; i++) {
			duration *= 2;
		}
		return Math.min(duration, this.maxEjectionNanos);
	}

	/** Ejected, or on probation after an ejection (not yet readmitted by a successful call). */
	public boolean isSuspended() {
		return this.suspended;
	}

	/** On probation and free: its ejection ended and its one probation call may be made now. */
	boolean awaitsProbe(long now) {
		return this.suspended && isAvailable(now);
	}

	/** Whether the node was last picked more than {@code nanos} ago. */
	boolean notPickedFor(long now, long nanos) {
		return now - this.lastPick > nanos;
	}

	/** Whether the node was last picked more than forcePick ago. */
	boolean isPickOverdue(long now) {
		return now - this.lastPick > this.forcePickNanos;
	}

	/** Claims an overdue probe: true for exactly one of the threads that race for it. */
	boolean claimOverduePick(long now) {
		long last = this.lastPick;
		return now - last > this.forcePickNanos && LAST_PICK.compareAndSet(this, last, now);
	}

	void picked(long now) {
		this.lastPick = now;
		PASS.getAndAdd(this, PASS_UNIT / this.weight);
	}

	long pass() {
		return this.pass;
	}

	/** A node (re)joining the list starts level with the others, not with the picks it missed. */
	void passAtLeast(long floor) {
		if (this.pass - floor < 0) {
			this.pass = floor;
		}
	}

	/** The instance's weight (1 or more): its share among nodes of equal load is proportional to it. */
	public int weight() {
		return this.weight;
	}

	void weight(int weight) {
		this.weight = Math.max(1, weight);
	}

	void seen(long now) {
		this.lastSeen = now;
	}

	long lastSeen() {
		return this.lastSeen;
	}

	/** A consistent-enough copy for reading; allocation is fine here, it is not on the pick path. */
	public NodeState state(long now, boolean listed) {
		return state(now, listed, 0);
	}

	/**
	 * @param share the node's share of the service's recent calls, in percent ({@link #recentCalls})
	 */
	public NodeState state(long now, boolean listed, double share) {
		long until = this.ejectedUntil;
		boolean ejected = isEjected(now);
		synchronized (this) {
			return new NodeState(this.id, listed, load(), this.inflight, this.latency.nanos() / 1_000_000.0, this.success,
					isHealthy(), ejected, ejected ? (until - now) / 1_000_000 : 0, this.suspended && !ejected,
					(now - this.lastPick) / 1_000_000, this.calls, this.failures, this.consecutiveFailures,
					this.ejections, this.weight, share);
		}
	}

	@Override
	public String toString() {
		return this.id + " load=" + (long) load() + " inflight=" + this.inflight + " success=" + (long) this.success;
	}

}

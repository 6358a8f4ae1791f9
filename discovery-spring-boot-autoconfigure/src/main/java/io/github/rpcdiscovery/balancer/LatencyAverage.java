package io.github.rpcdiscovery.balancer;

import java.util.Arrays;

/**
 * A node's latency average, which does not keep cold first samples (a new connection, cold code: tens of milliseconds
 * where the node then answers in one).
 * <ul>
 * <li>Over its first {@value #WARMUP_SAMPLES} samples it is their median (the lower middle one).</li>
 * <li>After that the k-th sample weighs {@code max(1 - exp(-Δt/τ), 1/k)}: while the time-based weight is still tiny
 * (calls a millisecond apart with τ = 10 s weigh 0.0001) the average is the plain mean of the samples so far and reaches
 * the node's real latency within a few hundred calls; once the calls span about τ, it decays with time as go-zero's
 * does.</li>
 * <li>A sample over {@value #OUTLIER} times the average counts only when the next sample is over it too (then both
 * count): a lone stall (a GC pause, a busy machine) would otherwise, weighing by its own duration, rank an equal node
 * last until its next probe a second later. A node that turned slow answers slowly again.</li>
 * </ul>
 * Not thread-safe: {@link NodeStats} adds samples under its lock; {@link #nanos} and {@link #samples} are volatile reads
 * for the picker.
 */
final class LatencyAverage {

	/** Latency samples whose median is the average, before the average starts; cold samples are among them. */
	static final int WARMUP_SAMPLES = 10;

	/** A latency sample above this many times the average is an outlier: it counts once the next one confirms it. */
	static final double OUTLIER = 4;

	private volatile double nanos;

	private volatile long samples;

	/** The latest sample, whatever its weight: zone spill-over reads it to see a recovery at once. */
	private volatile long last;

	/** The warm-up samples; dropped once the average starts. */
	private long[] warmup = new long[WARMUP_SAMPLES];

	/** An outlier waiting for the next sample to confirm it, with its weight; negative if none. */
	private long pendingOutlier = -1;

	private double pendingOutlierWeight;

	/**
	 * @param latency the sample, in nanoseconds
	 * @param timeWeight its weight by time, {@code 1 - exp(-Δt/τ)}
	 */
	void add(long latency, double timeWeight) {
		long k = ++this.samples;
		this.last = latency;
		if (k <= WARMUP_SAMPLES) {
			this.warmup[(int) k - 1] = latency;
			long[] sorted = Arrays.copyOf(this.warmup, (int) k);
			Arrays.sort(sorted);
			this.nanos = sorted[(sorted.length - 1) / 2];
			if (k == WARMUP_SAMPLES) {
				this.warmup = null;
			}
			return;
		}
		double weight = Math.max(timeWeight, 1.0 / k);
		if (latency > OUTLIER * this.nanos) {
			if (this.pendingOutlier < 0) {
				this.pendingOutlier = latency;
				this.pendingOutlierWeight = weight;
				return;
			}
			this.nanos += (this.pendingOutlier - this.nanos) * this.pendingOutlierWeight;
		}
		this.pendingOutlier = -1;
		this.nanos += (latency - this.nanos) * weight;
	}

	double nanos() {
		return this.nanos;
	}

	long last() {
		return this.last;
	}

	long samples() {
		return this.samples;
	}

}

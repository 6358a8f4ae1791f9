package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;

/**
 * Whether a watch is to be replaced by a fresh list and watch: missing for {@link #LOST_AFTER_TICKS} watchdog ticks
 * (longer than a routine reconnect), or silent for longer than the maximum silence. Not thread-safe: its
 * {@link SliceWatch} calls it under its lock.
 */
final class WatchLiveness {

	/** Watchdog ticks without a watch after which the watch counts as lost (a routine reconnect is quicker). */
	static final int LOST_AFTER_TICKS = 2;

	/**
	 * How long a watch may deliver nothing before it is replaced by a fresh list and watch. fabric8 can believe a
	 * watch is up while nothing arrives (a connection reset during the watch's opening handshake, a half-open
	 * connection); a quiet Service costs one list per period.
	 */
	static final Duration DEFAULT_MAX_SILENCE = Duration.ofMinutes(10);

	private final long maxSilenceNanos;

	private int ticksWithoutWatch;

	/** When the current informer last delivered a list or an event. */
	private long lastActivityNanos = System.nanoTime();

	WatchLiveness(Duration maxSilence) {
		this.maxSilenceNanos = maxSilence.toNanos();
	}

	/** The current informer delivered a list or an event. */
	void active() {
		this.lastActivityNanos = System.nanoTime();
	}

	/** A fresh informer took over. */
	void renewed() {
		this.ticksWithoutWatch = 0;
		active();
	}

	/**
	 * One watchdog tick.
	 * @param watching whether the current informer is watching
	 * @return whether the watch is lost, or silent for too long
	 */
	boolean isLost(boolean watching) {
		if (watching) {
			this.ticksWithoutWatch = 0;
			return System.nanoTime() - this.lastActivityNanos >= this.maxSilenceNanos;
		}
		return ++this.ticksWithoutWatch >= LOST_AFTER_TICKS;
	}

}

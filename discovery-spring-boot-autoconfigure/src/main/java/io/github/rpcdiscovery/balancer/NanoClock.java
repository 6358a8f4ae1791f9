package io.github.rpcdiscovery.balancer;

/**
 * A monotonic clock in nanoseconds, injected so the balancer's decay, probe and ejection timing can be tested
 * without waiting.
 */
@FunctionalInterface
public interface NanoClock {

	/** {@link System#nanoTime()}. */
	NanoClock SYSTEM = System::nanoTime;

	/** The current time in nanoseconds; only differences between two readings are meaningful. */
	long nanoTime();

}

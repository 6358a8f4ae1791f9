package io.github.rpcdiscovery.soak.app;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * What the soak harness cannot read from {@code /proc} itself: the heap in use right after a full GC (a leak shows
 * as a floor that keeps rising, not as a noisy peak).
 */
final class JvmProbe {

	private JvmProbe() {
	}

	/** {@code threads <n>} and {@code heapAfterGc <bytes>}, one per line. */
	static String report() {
		System.gc();
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		return "threads " + ManagementFactory.getThreadMXBean().getThreadCount() + "\nheapAfterGc " + heap.getUsed()
				+ "\n";
	}

}

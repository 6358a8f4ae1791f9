package io.github.rpcdiscovery.etcd;

import java.time.Duration;

/**
 * Timings and sizes of etcd discovery. The defaults follow go-zero (3 s per read, retry about every second, capped
 * here at 5 s) and suit production; tests and benchmarks shorten them.
 *
 * @param requestTimeout the longest a read of etcd may take before it counts as failed (jetcd calls have no deadline
 * of their own)
 * @param initialBackoff the first delay before a retry; it doubles with each failure, with jitter
 * @param maxBackoff the longest delay between retries while etcd is unreachable
 * @param pageSize the most keys read per request when listing a prefix (big lists are read in pages at one revision)
 * @param maxConcurrentLoads the most prefix listings in flight per cluster, so a cold start or a reconnect with many
 * services does not flood etcd
 */
public record EtcdDiscoverySettings(Duration requestTimeout, Duration initialBackoff, Duration maxBackoff,
		int pageSize, int maxConcurrentLoads) {

	public EtcdDiscoverySettings {
		requirePositive("requestTimeout", requestTimeout);
		requirePositive("initialBackoff", initialBackoff);
		requirePositive("maxBackoff", maxBackoff);
		if (pageSize < 1 || maxConcurrentLoads < 1) {
			throw new IllegalArgumentException("pageSize and maxConcurrentLoads must be at least 1");
		}
	}

	public static EtcdDiscoverySettings defaults() {
		return new EtcdDiscoverySettings(Duration.ofSeconds(3), Duration.ofMillis(250), Duration.ofSeconds(5), 1000,
				32);
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, not " + value);
		}
	}

}

package io.github.rpcdiscovery.etcd;

import java.time.Duration;

/**
 * Timings and sizes of etcd discovery. The defaults follow go-zero (3 s per read, retry about every second, capped
 * here at 5 s) and suit production; tests and benchmarks shorten them.
 *
 * @param requestTimeout the longest a read of etcd may take before it counts as failed (each call also has this
 * deadline on the client, {@link EtcdConnections#requestTimeout()}: keep them equal)
 * @param initialBackoff the first delay before a retry; it doubles with each failure, with jitter
 * @param maxBackoff the longest delay between retries while etcd is unreachable
 * @param pageSize the most keys read per request when a prefix has many (big lists are read in pages at one
 * revision)
 * @param batchSize the most prefixes listed in one request (a read-only transaction; etcd allows 128 operations per
 * transaction by default)
 * @param maxConcurrentLoads the most listing requests in flight per cluster, so a cold start or a reconnect with many
 * services does not flood etcd
 * @param splitListingRetry how long a listing etcd refused as a whole stays split before it is tried whole again: the
 * prefixes of a refused batch (say, a response over gRPC's 4 MiB: RESOURCE_EXHAUSTED) are listed one by one, and
 * {@code _rpc-meta/} (refused for permissions or size) is read per service key
 */
public record EtcdDiscoverySettings(Duration requestTimeout, Duration initialBackoff, Duration maxBackoff,
		int pageSize, int batchSize, int maxConcurrentLoads, Duration splitListingRetry) {

	/** How long a refused listing stays split: 5 minutes, one refused request at most each time. */
	static final Duration DEFAULT_SPLIT_LISTING_RETRY = Duration.ofMinutes(5);

	/** A batch's response stays far below gRPC's 4 MiB message limit: at most this many keys in all. */
	private static final int MAX_KEYS_PER_BATCH = 8192;

	public EtcdDiscoverySettings {
		requirePositive("requestTimeout", requestTimeout);
		requirePositive("initialBackoff", initialBackoff);
		requirePositive("maxBackoff", maxBackoff);
		requirePositive("splitListingRetry", splitListingRetry);
		if (pageSize < 1 || batchSize < 1 || batchSize > 128 || maxConcurrentLoads < 1) {
			throw new IllegalArgumentException("pageSize and maxConcurrentLoads must be at least 1, batchSize 1..128");
		}
	}

	/** With the default {@code splitListingRetry}, 5 minutes. */
	public EtcdDiscoverySettings(Duration requestTimeout, Duration initialBackoff, Duration maxBackoff, int pageSize,
			int batchSize, int maxConcurrentLoads) {
		this(requestTimeout, initialBackoff, maxBackoff, pageSize, batchSize, maxConcurrentLoads,
				DEFAULT_SPLIT_LISTING_RETRY);
	}

	public static EtcdDiscoverySettings defaults() {
		return new EtcdDiscoverySettings(Duration.ofSeconds(3), Duration.ofMillis(250), Duration.ofSeconds(5), 1000,
				64, 4);
	}

	/** These settings with another request timeout. */
	public EtcdDiscoverySettings withRequestTimeout(Duration timeout) {
		return new EtcdDiscoverySettings(timeout, this.initialBackoff, this.maxBackoff, this.pageSize, this.batchSize,
				this.maxConcurrentLoads, this.splitListingRetry);
	}

	/** These settings with another {@code splitListingRetry}. */
	public EtcdDiscoverySettings withSplitListingRetry(Duration retry) {
		return new EtcdDiscoverySettings(this.requestTimeout, this.initialBackoff, this.maxBackoff, this.pageSize,
				this.batchSize, this.maxConcurrentLoads, retry);
	}

	/** The most keys read per prefix in a batched request; a prefix with more is read on in pages. */
	int batchLimit() {
		return Math.max(1, Math.min(this.pageSize, MAX_KEYS_PER_BATCH / this.batchSize));
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, not " + value);
		}
	}

}

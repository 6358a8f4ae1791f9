package io.github.rpcdiscovery.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How etcd discovery retries and reads. The defaults follow go-zero (retry about every second) and suit production;
 * change them for a very large registry or a slow link.
 *
 * @param initialBackoff The first delay before a failed read or watch of etcd is retried; it doubles with each
 * failure, with jitter, up to max-backoff.
 * @param maxBackoff The longest delay between retries while etcd is unreachable.
 * @param pageSize The most keys read per request when a service has many instances (larger lists are read in pages
 * at one revision).
 * @param batchSize The most services listed in one request (a read-only transaction, 1 to 128: etcd allows 128
 * operations per transaction by default).
 * @param maxConcurrentLoads The most listing requests in flight per etcd cluster, so a cold start or a reconnect with
 * many services does not flood etcd.
 * @param servicesPrefix Only keys under this prefix are enumerated for the discovery client's getServices() (the
 * Gateway's discovery locator, Spring Boot Admin); empty for the whole keyspace. A key counts as a service when it
 * holds a live go-zero entry, <key>/<decimal id> on a lease. Set it when the etcd user may read only part of the
 * keyspace, or to keep other data out of the listing.
 * @param maxServices The most service keys getServices() keeps per etcd cluster (one count each in memory); more are
 * left out, with one WARN.
 */
@ConfigurationProperties("rpc.etcd.discovery")
public record EtcdDiscoveryProperties(@DefaultValue("250ms") Duration initialBackoff,
		@DefaultValue("5s") Duration maxBackoff, @DefaultValue("1000") int pageSize, @DefaultValue("64") int batchSize,
		@DefaultValue("4") int maxConcurrentLoads, @DefaultValue("") String servicesPrefix,
		@DefaultValue("10000") int maxServices) {

	public EtcdDiscoveryProperties {
		BalancerProperties.requirePositive("rpc.etcd.discovery.initial-backoff", initialBackoff, "250ms");
		BalancerProperties.requirePositive("rpc.etcd.discovery.max-backoff", maxBackoff, "5s");
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new InvalidRpcPropertyException("rpc.etcd.discovery.max-backoff", maxBackoff,
					"it is shorter than rpc.etcd.discovery.initial-backoff (" + initialBackoff + ")",
					"set max-backoff to initial-backoff or longer");
		}
		if (pageSize < 1) {
			throw new InvalidRpcPropertyException("rpc.etcd.discovery.page-size", pageSize,
					"a page holds at least one key", "set 1 or more; the default is 1000");
		}
		if (batchSize < 1 || batchSize > 128) {
			throw new InvalidRpcPropertyException("rpc.etcd.discovery.batch-size", batchSize,
					"a batch is one etcd transaction of 1 to 128 operations (etcd's default limit)",
					"set a value from 1 to 128; the default is 64");
		}
		if (maxServices < 1) {
			throw new InvalidRpcPropertyException("rpc.etcd.discovery.max-services", maxServices,
					"getServices() could list no service", "set 1 or more; the default is 10000");
		}
		if (maxConcurrentLoads < 1) {
			throw new InvalidRpcPropertyException("rpc.etcd.discovery.max-concurrent-loads", maxConcurrentLoads,
					"no listing could run", "set 1 or more; the default is 4");
		}
	}

}

package io.github.rpcdiscovery.etcd;

/**
 * What {@code getServices()} enumerates in each etcd cluster ({@link ServiceKeyIndex}).
 *
 * @param prefix only keys under this prefix are enumerated; empty for the whole keyspace
 * @param maxServices the most service keys kept per cluster; more are left out, with one WARN
 */
public record EtcdServicesSettings(String prefix, int maxServices) {

	public EtcdServicesSettings {
		if (maxServices < 1) {
			throw new IllegalArgumentException("maxServices must be at least 1, not " + maxServices);
		}
	}

	/** The whole keyspace, at most 10000 service keys. */
	public static EtcdServicesSettings defaults() {
		return new EtcdServicesSettings("", 10_000);
	}

}

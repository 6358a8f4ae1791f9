package io.github.rpcdiscovery.etcd.registration;

/**
 * A granted lease and the keys written on it.
 *
 * @param id the lease id
 * @param key the instance key
 * @param metadataKey the metadata key
 */
record ActiveLease(long id, String key, String metadataKey) {

	/** {@code <hex> (<signed decimal>)}: etcdctl prints the hex, go-zero's key holds the decimal. */
	@Override
	public String toString() {
		return hex(this.id) + " (" + this.id + ")";
	}

	/** A lease id as etcdctl prints it: 16 hex digits. */
	static String hex(long leaseId) {
		return String.format("%016x", leaseId);
	}

}

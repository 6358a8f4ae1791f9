package io.github.rpcdiscovery.status;

/**
 * Hears what discovery and registration do, for metrics. Called on the sources' own threads: implementations must
 * be quick and must not throw or block. Every method does nothing by default.
 */
public interface DiscoveryObserver {

	DiscoveryObserver NONE = new DiscoveryObserver() {
	};

	/** A registry connection is tracked from now on (also called for those tracked before observing started). */
	default void connectionTracked(ConnectionTracker connection) {
	}

	/** A registry event reached the catalog: {@code nanos} from its arrival to the catalog being updated. */
	default void propagated(ConnectionTracker connection, long nanos) {
	}

	/** The lease of a registration was renewed. */
	default void leaseRenewed(String serviceKey) {
	}

	/**
	 * A lease was granted and the registration written on it.
	 * @param replacing whether it replaces a lost lease (a re-grant) rather than being the first
	 */
	default void leaseGranted(String serviceKey, boolean replacing) {
	}

}

package io.github.rpcdiscovery.core;

/**
 * Told of every change of the catalog, on the thread that made it, in version order per service. Implementations must
 * be quick and must not block: they run on registry callback threads.
 */
@FunctionalInterface
public interface CatalogListener {

	void onChange(CatalogChange change);

	/**
	 * A service left the catalog: nobody looked it up for a while and its watch was closed
	 * ({@code rpc.discovery.unlisted}). Its next lookup loads it again, as a first load.
	 */
	default void onRemoved(String serviceId) {
	}

	/**
	 * The set of services a registry holds changed (a service registered for the first time, or its last instance
	 * went), as far as a {@link ServiceEnumeration} sees it; the catalog version grew.
	 */
	default void onServicesChanged() {
	}

}

package io.github.rpcdiscovery.core;

import java.util.concurrent.CompletableFuture;

import io.github.rpcdiscovery.target.Upstream;

/**
 * A registry that keeps the {@link ServiceCatalog} current for the upstreams it is asked to watch: static endpoints,
 * etcd, Kubernetes. Sources write to the catalog; nobody reads a source directly.
 */
public interface DiscoverySource extends AutoCloseable {

	/** The source name an upstream's target asks for: {@code direct}, {@code etcd} or {@code kubernetes}. */
	String name();

	/**
	 * Starts keeping the catalog's list of this upstream current. Called at most once per service id; must not
	 * block.
	 * @return completes when the first complete list has reached the catalog; completes exceptionally if the first
	 * load failed (the source keeps retrying in the background and updates the catalog when it succeeds)
	 */
	CompletableFuture<Void> watch(Upstream upstream);

	/** Stops watching and releases connections. */
	@Override
	default void close() {
	}

}

package io.github.rpcdiscovery.core;

import java.util.concurrent.CompletableFuture;

import io.github.rpcdiscovery.target.RpcTarget;
import io.github.rpcdiscovery.target.Upstream;
import org.jspecify.annotations.Nullable;

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

	/**
	 * Whether the registry holds the service now (etcd: a key under {@code <key>/}; Kubernetes: an EndpointSlice of
	 * the Service), asked once before an id that is not configured resolves here. Must not block; completes in
	 * bounded time, exceptionally if the registry cannot tell.
	 */
	default CompletableFuture<Boolean> holds(Upstream upstream) {
		return CompletableFuture.completedFuture(true);
	}

	/**
	 * Stops keeping the catalog's list of this upstream current (nobody asked for it in a while); the watch and
	 * anything only it used are released. A later {@link #watch} starts afresh.
	 */
	default void unwatch(Upstream upstream) {
	}

	/**
	 * Every service the registry place of this target holds (its etcd cluster, its Kubernetes namespace; the key or
	 * Service it names does not matter), kept current from this first call on. Must not block.
	 * @return the enumeration, one per place, or {@code null} if this source cannot enumerate
	 */
	default @Nullable ServiceEnumeration enumerate(RpcTarget place) {
		return null;
	}

	/** Stops watching and releases connections. */
	@Override
	default void close() {
	}

}

package io.github.rpcdiscovery.core;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Every service one registry place holds now: the keys of an etcd cluster with a live go-zero entry, the Services of
 * a Kubernetes namespace. Kept current by its source (list, then watch) from the first time someone enumerates until
 * the source closes; holds names only, never instances.
 */
public interface ServiceEnumeration {

	/**
	 * The names held now, as of the last successful listing and the events since; the last known names while the
	 * registry is unreachable; {@code null} if no listing ever succeeded or the registry refuses to be listed
	 * (then callers fall back to the ids they looked up).
	 */
	@Nullable Set<String> names();

	/** Completes, never exceptionally, when the first listing succeeded or failed. */
	CompletableFuture<Void> firstListing();

}

package io.github.rpcdiscovery.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One change of one service's instance list.
 *
 * @param previous the snapshot before, {@code null} for the first load of a service
 * @param current the snapshot after
 * @param added instances that appeared (by instance id)
 * @param removed instances that disappeared (by instance id)
 * @param updated instances whose address or metadata changed under the same id
 */
public record CatalogChange(@Nullable InstanceSnapshot previous, InstanceSnapshot current,
		List<DiscoveredInstance> added, List<DiscoveredInstance> removed, List<DiscoveredInstance> updated) {

	public String serviceId() {
		return this.current.serviceId();
	}

}

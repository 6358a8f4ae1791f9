package io.github.rpcdiscovery.core;

import java.util.List;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The instances of one service at one moment. Immutable: readers get the same list object until the next change, so
 * a read costs a map lookup and allocates nothing.
 *
 * @param serviceId the service id
 * @param instances the instances, sorted by instance id, unmodifiable
 * @param version the catalog version of this snapshot; it grows with every change of any service
 * @param origin what produced this snapshot, for logs and the actuator (e.g. {@code etcd rev 42})
 * @param updatedAtMillis wall-clock time of the change
 */
public record InstanceSnapshot(String serviceId, List<ServiceInstance> instances, long version, String origin,
		long updatedAtMillis) {

	public boolean isEmpty() {
		return this.instances.isEmpty();
	}

}

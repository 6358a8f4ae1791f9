package io.github.rpcdiscovery.cloud;

import java.util.ArrayList;
import java.util.List;

import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.InstanceSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The catalog as Spring Cloud reads it: each instance wrapped in a {@link RpcServiceInstance} once, each snapshot's
 * list made once, both kept with the catalog's own objects (so they go when those go). A read of a loaded service
 * allocates nothing: {@code DiscoveryClient.getInstances} and the LoadBalancer supplier hand out the same list until
 * the next change, and an instance that stays across changes stays the same object for Spring Cloud too.
 */
public final class SpringCloudInstances {

	private SpringCloudInstances() {
	}

	/** The snapshot's instances for Spring Cloud; empty for no snapshot. */
	public static List<ServiceInstance> of(@Nullable InstanceSnapshot snapshot) {
		return (snapshot != null) ? snapshot.derived(ListView.class, ListView::of).instances() : List.of();
	}

	/** Spring Cloud's view of one instance: always the same object for the same instance. */
	public static RpcServiceInstance instance(DiscoveredInstance instance) {
		return instance.derived(RpcServiceInstance.class, RpcServiceInstance::new);
	}

	/** The catalog's instance behind a Spring Cloud instance, or {@code null} for one that is not ours. */
	public static @Nullable DiscoveredInstance unwrap(ServiceInstance instance) {
		return (instance instanceof RpcServiceInstance ours) ? ours.instance() : null;
	}

	/** A snapshot's list as Spring Cloud reads it; its own type, so that the snapshot keeps it apart. */
	private record ListView(List<ServiceInstance> instances) {

		static ListView of(InstanceSnapshot snapshot) {
			List<ServiceInstance> instances = new ArrayList<>(snapshot.instances().size());
			for (DiscoveredInstance instance : snapshot.instances()) {
				instances.add(instance(instance));
			}
			return new ListView(List.copyOf(instances));
		}

	}

}

package io.github.rpcdiscovery.actuate;

import io.github.rpcdiscovery.status.RegistrationStatusProvider;
import io.github.rpcdiscovery.status.RegistryStatusProvider;

import java.time.Clock;
import java.util.List;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancers;
import org.jspecify.annotations.Nullable;

/**
 * Everything the {@code rpc} endpoint and the meters read: the catalog, the registries' connections, this
 * application's registrations and the balancers' state. All of it in memory: reading never calls a registry.
 *
 * @param discovery the catalog and the services looked up
 * @param registries the discovery sources that report their connections
 * @param registrations the registries this application registers in
 * @param balancers the load balancers' state, or {@code null} without load balancing
 * @param clock the clock staleness is measured with
 */
public record RpcStatusSources(ServiceDiscovery discovery, List<RegistryStatusProvider> registries,
		List<RegistrationStatusProvider> registrations, @Nullable ServiceBalancers balancers, Clock clock) {

	public RpcStatusSources {
		registries = List.copyOf(registries);
		registrations = List.copyOf(registrations);
	}

}

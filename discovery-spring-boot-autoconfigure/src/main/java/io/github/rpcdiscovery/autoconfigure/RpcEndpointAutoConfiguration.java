package io.github.rpcdiscovery.autoconfigure;

import java.time.Clock;

import io.github.rpcdiscovery.actuate.RpcEndpoint;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancers;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;
import io.github.rpcdiscovery.actuate.RpcStatusSources;
import io.github.rpcdiscovery.status.RegistryStatusProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code rpc} actuator endpoint, when actuator is on the classpath and the endpoint is available (expose it with
 * {@code management.endpoints.web.exposure.include=rpc}). It replaces the former {@code rpcloadbalancer} endpoint:
 * each instance shows its load-balancer state.
 */
@AutoConfiguration(after = { RpcDiscoveryAutoConfiguration.class, RpcBalancerAutoConfiguration.class,
		EtcdDiscoveryAutoConfiguration.class, KubernetesDiscoveryAutoConfiguration.class,
		EtcdRegistrationAutoConfiguration.class })
@ConditionalOnRpcConfigured
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ServiceDiscovery.class)
final class RpcEndpointAutoConfiguration {

	// on the method, not the class: its condition class must not be loaded without actuator
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(RpcEndpoint.class)
	RpcEndpoint rpcEndpoint(ServiceDiscovery discovery, ObjectProvider<RegistryStatusProvider> registries,
			ObjectProvider<RegistrationStatusProvider> registrations, ObjectProvider<ServiceBalancers> balancers) {
		return new RpcEndpoint(new RpcStatusSources(discovery, registries.orderedStream().toList(),
				registrations.orderedStream().toList(), balancers.getIfAvailable(), Clock.systemUTC()));
	}

}

package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.loadbalancer.InstanceListConfiguration;
import io.github.rpcdiscovery.loadbalancer.RpcLoadBalancerClientConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Makes {@link RpcLoadBalancerClientConfiguration} a default configuration of every LoadBalancer client, so
 * {@code @LoadBalanced} RestClient, RestTemplate and WebClient calls to {@code http://<service-id>/} of a service this
 * starter resolves pick from the catalog and follow its changes at once; other ids keep Spring Cloud's own
 * configuration. Checks {@code spring.cloud.loadbalancer.configurations} at startup: a child context is only created
 * on a service's first call, too late to report a typo.
 */
@AutoConfiguration(after = RpcDiscoveryAutoConfiguration.class, before = LoadBalancerAutoConfiguration.class)
@ConditionalOnRpcConfigured
@ConditionalOnClass(LoadBalancerClients.class)
@ConditionalOnRpcDiscoveryEnabled
@ConditionalOnBean(ServiceDiscovery.class)
@LoadBalancerClients(defaultConfiguration = RpcLoadBalancerClientConfiguration.class)
final class RpcLoadBalancerAutoConfiguration {

	@Bean
	static LoadBalancerConfigurationsChecked rpcLoadBalancerConfigurationsChecked(Environment environment) {
		InstanceListConfiguration.validate(environment);
		return new LoadBalancerConfigurationsChecked();
	}

	/** Marks that the {@code configurations} values were checked; holds nothing. */
	static final class LoadBalancerConfigurationsChecked {

	}

}

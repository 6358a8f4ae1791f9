package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.loadbalancer.InstanceListConfiguration;
import io.github.rpcdiscovery.loadbalancer.RpcLoadBalancerClientConfiguration;
import io.github.rpcdiscovery.loadbalancer.RpcLoadBalancerClientFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClientsProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Makes {@link RpcLoadBalancerClientConfiguration} a default configuration of every LoadBalancer client, so
 * {@code @LoadBalanced} RestClient, RestTemplate and WebClient calls to {@code http://<service-id>/} of a service this
 * starter resolves pick from the catalog and follow its changes at once; other ids keep Spring Cloud's own
 * configuration. Checks {@code spring.cloud.loadbalancer.configurations} at startup: a child context is only created
 * on a service's first call, too late to report a typo.
 * <p>
 * Spring Cloud's client factory is replaced by a subclass that remembers the lookups of this starter's ids
 * ({@link RpcLoadBalancerClientFactory}); other ids go through Spring Cloud's own code. It backs off when the
 * application defines a factory of its own.
 */
@AutoConfiguration(after = RpcDiscoveryAutoConfiguration.class, before = LoadBalancerAutoConfiguration.class)
@ConditionalOnRpcConfigured
@ConditionalOnClass(LoadBalancerClients.class)
@ConditionalOnRpcDiscoveryEnabled
@ConditionalOnBean(ServiceDiscovery.class)
@LoadBalancerClients(defaultConfiguration = RpcLoadBalancerClientConfiguration.class)
@EnableConfigurationProperties(LoadBalancerClientsProperties.class)
final class RpcLoadBalancerAutoConfiguration {

	@Bean
	static LoadBalancerConfigurationsChecked rpcLoadBalancerConfigurationsChecked(Environment environment) {
		InstanceListConfiguration.validate(environment);
		return new LoadBalancerConfigurationsChecked();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(value = "spring.cloud.loadbalancer.enabled", havingValue = "true", matchIfMissing = true)
	LoadBalancerClientFactory rpcLoadBalancerClientFactory(LoadBalancerClientsProperties properties,
			ObjectProvider<List<LoadBalancerClientSpecification>> configurations) {
		RpcLoadBalancerClientFactory factory = new RpcLoadBalancerClientFactory(properties);
		factory.setConfigurations(configurations.getIfAvailable(List::of));
		return factory;
	}

	/** Marks that the {@code configurations} values were checked; holds nothing. */
	static final class LoadBalancerConfigurationsChecked {

	}

}

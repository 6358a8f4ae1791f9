package io.github.rpcdiscovery.autoconfigure;

import java.util.concurrent.ThreadLocalRandom;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.NanoClock;
import io.github.rpcdiscovery.balancer.RoutingSettings;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.loadbalancer.BalancingPolicies;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancers;
import io.github.rpcdiscovery.target.DiscoveryPlan;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The balancers of the services this starter resolves ({@code rpc.load-balancer}, {@code rpc.balancer.*}), shared by Spring Cloud
 * LoadBalancer's per-service child contexts, which {@link RpcLoadBalancerAutoConfiguration} points at them.
 */
@AutoConfiguration(after = RpcDiscoveryAutoConfiguration.class)
@ConditionalOnRpcConfigured
@ConditionalOnClass(LoadBalancerClients.class)
@ConditionalOnRpcDiscoveryEnabled
@ConditionalOnBean(ServiceDiscovery.class)
@Import(BalancerSettingsConfiguration.class)
final class RpcBalancerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceBalancers rpcServiceBalancers(RpcProperties properties, DiscoveryPlan plan, BalancerSettings settings,
			RoutingSettings.Source routing) {
		return new ServiceBalancers(new BalancingPolicies(properties, plan), settings, routing, NanoClock.SYSTEM,
				ThreadLocalRandom.current());
	}

}

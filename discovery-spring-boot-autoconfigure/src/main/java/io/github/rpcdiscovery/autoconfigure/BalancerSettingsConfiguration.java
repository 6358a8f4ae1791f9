package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.RoutingSettings;
import io.github.rpcdiscovery.config.BalancerProperties;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.config.SubsetProperties;
import io.github.rpcdiscovery.config.ZoneProperties;
import io.github.rpcdiscovery.target.DiscoveryPlan;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The balancer settings ({@code rpc.balancer.*}) shared by the HTTP balancers and gRPC's {@code p2c_ewma}: imported by
 * both auto-configurations, as either may be on without the other. An application's own {@link BalancerSettings}
 * bean replaces it for both; so does its own {@link RoutingSettings.Source} for the routing ({@code rpc.balancer.zone.*},
 * {@code rpc.balancer.subset.*}, {@code rpc.clients[i].canary}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ BalancerProperties.class, ZoneProperties.class, SubsetProperties.class })
class BalancerSettingsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BalancerSettings rpcBalancerSettings(BalancerProperties properties) {
		return new BalancerSettings(properties.decay(), properties.forcePick(), properties.ejectAfterFailures(),
				properties.firstEjection(), properties.maxEjection(), properties.forgetAfter());
	}

	/** The caller's zone is Spring Cloud LoadBalancer's own {@code spring.cloud.loadbalancer.zone}. */
	@Bean
	@ConditionalOnMissingBean
	RoutingSettings.Source rpcRoutingSettings(ZoneProperties zone, SubsetProperties subset, RpcProperties rpc,
			DiscoveryPlan plan, Environment environment) {
		return new ConfiguredRouting(zone, subset, environment.getProperty("spring.cloud.loadbalancer.zone"), rpc,
				plan);
	}

}

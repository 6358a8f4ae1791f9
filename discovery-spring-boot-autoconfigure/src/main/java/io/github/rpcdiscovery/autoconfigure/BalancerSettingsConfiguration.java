package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.config.BalancerProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The balancer settings ({@code rpc.balancer.*}) shared by the HTTP balancers and gRPC's {@code p2c_ewma}: imported by
 * both auto-configurations, as either may be on without the other. An application's own {@link BalancerSettings}
 * bean replaces it for both.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BalancerProperties.class)
class BalancerSettingsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BalancerSettings rpcBalancerSettings(BalancerProperties properties) {
		return new BalancerSettings(properties.decay(), properties.forcePick(), properties.ejectAfterFailures(),
				properties.firstEjection(), properties.maxEjection(), properties.forgetAfter());
	}

}

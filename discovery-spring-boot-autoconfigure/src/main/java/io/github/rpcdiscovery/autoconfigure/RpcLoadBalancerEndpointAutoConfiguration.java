package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.loadbalancer.RpcLoadBalancerEndpoint;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancers;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code rpcloadbalancer} actuator endpoint, when actuator is on the classpath and the endpoint is available
 * (expose it with {@code management.endpoints.web.exposure.include=rpcloadbalancer}).
 */
@AutoConfiguration(after = RpcBalancerAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ServiceBalancers.class)
final class RpcLoadBalancerEndpointAutoConfiguration {

	// on the method, not the class: its condition class must not be loaded without actuator
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(RpcLoadBalancerEndpoint.class)
	RpcLoadBalancerEndpoint rpcLoadBalancerEndpoint(ServiceBalancers balancers) {
		return new RpcLoadBalancerEndpoint(balancers);
	}

}

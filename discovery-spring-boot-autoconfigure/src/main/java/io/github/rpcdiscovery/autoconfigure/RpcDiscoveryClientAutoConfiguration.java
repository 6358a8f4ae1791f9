package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.core.ServiceDiscovery;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The blocking {@link RpcDiscoveryClient}. Runs before Spring Cloud's commons and simple discovery configurations so
 * that their composite client and health indicator see it.
 */
@AutoConfiguration(after = RpcDiscoveryAutoConfiguration.class,
		before = { SimpleDiscoveryClientAutoConfiguration.class, CommonsClientAutoConfiguration.class })
@ConditionalOnRpcConfigured
@ConditionalOnRpcDiscoveryEnabled
@ConditionalOnBean(ServiceDiscovery.class)
@ConditionalOnBlockingDiscoveryEnabled
final class RpcDiscoveryClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RpcDiscoveryClient rpcDiscoveryClient(ServiceDiscovery discovery, RpcProperties properties) {
		return new RpcDiscoveryClient(discovery, properties.discovery().order());
	}

}

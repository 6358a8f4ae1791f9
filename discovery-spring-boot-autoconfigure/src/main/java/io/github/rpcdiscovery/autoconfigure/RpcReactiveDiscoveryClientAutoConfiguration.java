package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.cloud.RpcReactiveDiscoveryClient;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.core.ServiceDiscovery;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The {@link RpcReactiveDiscoveryClient}, before Spring Cloud's reactive commons and simple configurations. */
@AutoConfiguration(after = RpcDiscoveryAutoConfiguration.class,
		before = { SimpleReactiveDiscoveryClientAutoConfiguration.class, ReactiveCommonsClientAutoConfiguration.class })
@ConditionalOnRpcConfigured
@ConditionalOnClass(name = "reactor.core.publisher.Flux")
@ConditionalOnRpcDiscoveryEnabled
@ConditionalOnBean(ServiceDiscovery.class)
@ConditionalOnReactiveDiscoveryEnabled
final class RpcReactiveDiscoveryClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RpcReactiveDiscoveryClient rpcReactiveDiscoveryClient(ServiceDiscovery discovery, RpcProperties properties) {
		return new RpcReactiveDiscoveryClient(discovery, properties.discovery().order());
	}

}

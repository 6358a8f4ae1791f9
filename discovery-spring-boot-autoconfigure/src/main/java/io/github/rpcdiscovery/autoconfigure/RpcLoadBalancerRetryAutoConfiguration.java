package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.loadbalancer.ConnectFailureRetryPolicy;
import io.github.rpcdiscovery.loadbalancer.IdempotentRetryPolicy;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.cloud.client.loadbalancer.reactive.RetryableExchangeFilterFunctionLoadBalancerRetryPolicy;
import org.springframework.cloud.loadbalancer.blocking.retry.BlockingLoadBalancedRetryFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancedRetryFactory;
import org.springframework.cloud.client.loadbalancer.LoadBalancedRetryPolicy;
import org.springframework.cloud.client.loadbalancer.ServiceInstanceChooser;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerRetryPolicy;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One retry rule for calls to the services this starter resolves, with RestTemplate, RestClient and WebClient (when
 * Spring Cloud retries at all: {@code spring.cloud.loadbalancer.retry.enabled}, which Spring Cloud applies to WebClient
 * only when set to {@code true}): a refused connection is retried on another instance whatever the method, any other
 * I/O error only for GET (or every method with {@code retry-on-all-operations}). Spring Cloud's own policies differ:
 * its blocking one never retries a POST, its WebClient one retries a POST even after it was sent. Every other service
 * id keeps Spring Cloud's own policy. An application's own {@code LoadBalancedRetryFactory} or
 * {@code LoadBalancerRetryPolicy.Factory} wins.
 */
@AutoConfiguration(after = { RpcDiscoveryAutoConfiguration.class, LoadBalancerAutoConfiguration.class },
		before = { BlockingLoadBalancerClientAutoConfiguration.class, ReactorLoadBalancerClientAutoConfiguration.class })
@ConditionalOnRpcConfigured
@ConditionalOnClass(LoadBalancerClients.class)
@ConditionalOnRpcDiscoveryEnabled
@ConditionalOnProperty(name = "spring.cloud.loadbalancer.retry.enabled", havingValue = "true", matchIfMissing = true)
// nothing to retry through when the load balancer is off (spring.cloud.loadbalancer.enabled=false)
@ConditionalOnBean({ ReactiveLoadBalancer.Factory.class, ServiceDiscovery.class })
final class RpcLoadBalancerRetryAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.retry.support.RetryTemplate")
	static class BlockingRetry {

		@Bean
		@ConditionalOnMissingBean
		LoadBalancedRetryFactory rpcLoadBalancedRetryFactory(ReactiveLoadBalancer.Factory<ServiceInstance> factory,
				ServiceDiscovery discovery) {
			LoadBalancedRetryFactory springClouds = new BlockingLoadBalancedRetryFactory(factory);
			return new LoadBalancedRetryFactory() {

				@Override
				public LoadBalancedRetryPolicy createRetryPolicy(String service, ServiceInstanceChooser chooser) {
					return discovery.resolves(service) ? new ConnectFailureRetryPolicy(factory.getProperties(service))
							: springClouds.createRetryPolicy(service, chooser);
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
	static class ReactiveRetry {

		@Bean
		@ConditionalOnMissingBean
		LoadBalancerRetryPolicy.Factory rpcLoadBalancerRetryPolicy(ReactiveLoadBalancer.Factory<ServiceInstance> factory,
				ServiceDiscovery discovery) {
			return (service) -> discovery.resolves(service) ? new IdempotentRetryPolicy(factory.getProperties(service))
					: new RetryableExchangeFilterFunctionLoadBalancerRetryPolicy(factory.getProperties(service));
		}

	}

}

package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.loadbalancer.RpcLoadBalancerClientConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import io.github.rpcdiscovery.core.ServiceDiscovery;

/**
 * Makes {@link RpcLoadBalancerClientConfiguration} the default configuration of every LoadBalancer client, so
 * {@code @LoadBalanced} RestClient, RestTemplate and WebClient calls to {@code http://<service-id>/} pick from the
 * catalog and follow its changes at once.
 */
@AutoConfiguration(after = RpcDiscoveryAutoConfiguration.class, before = LoadBalancerAutoConfiguration.class)
@ConditionalOnClass(LoadBalancerClients.class)
@ConditionalOnRpcDiscoveryEnabled
@ConditionalOnBean(ServiceDiscovery.class)
@LoadBalancerClients(defaultConfiguration = RpcLoadBalancerClientConfiguration.class)
final class RpcLoadBalancerAutoConfiguration {

}

package io.github.rpcdiscovery.loadbalancer;

import io.github.rpcdiscovery.core.ServiceDiscovery;

import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches in the LoadBalancer child context of a service id this starter resolves
 * ({@link ServiceDiscovery#resolves(String)}). Any other id's child context gets nothing from this starter, so Spring
 * Cloud's own {@code LoadBalancerClientConfiguration} serves it as it would without us (Consul, Eureka or simple
 * discovery included).
 */
final class OnRpcServiceIdCondition implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String serviceId = LoadBalancerClientFactory.getName(context.getEnvironment());
		if (serviceId == null || context.getBeanFactory() == null) {
			return false;
		}
		ServiceDiscovery discovery = context.getBeanFactory().getBeanProvider(ServiceDiscovery.class).getIfAvailable();
		return discovery != null && discovery.resolves(serviceId);
	}

}

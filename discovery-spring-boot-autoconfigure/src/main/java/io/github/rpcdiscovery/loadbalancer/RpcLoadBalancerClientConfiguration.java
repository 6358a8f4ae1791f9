package io.github.rpcdiscovery.loadbalancer;

import io.github.rpcdiscovery.core.ServiceDiscovery;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The LoadBalancer child-context configuration of a service this starter resolves: the push-based
 * {@link CatalogServiceInstanceListSupplier} (so Spring Cloud's instance cache never delays a change), decorated as
 * {@code spring.cloud.loadbalancer.configurations} says ({@link InstanceListConfiguration}), and this starter's
 * balancer ({@link RpcServiceInstanceLoadBalancer}: P2C by default, or the policy {@code rpc.load-balancer} names),
 * fed with every call's outcome by a {@link CallOutcomeLifecycle}.
 * <p>
 * Every bean backs off when the application's own {@code @LoadBalancerClient} configuration defines one of its type.
 * In the child context of any other service id the whole configuration is skipped
 * ({@link OnRpcServiceIdCondition}): Spring Cloud's own configuration serves it, unchanged.
 * <p>
 * Not an auto-configuration: it is registered with {@code @LoadBalancerClients(defaultConfiguration = ...)}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OnRpcServiceIdCondition.class)
public class RpcLoadBalancerClientConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactorLoadBalancer<ServiceInstance> rpcReactorLoadBalancer(Environment environment,
			LoadBalancerClientFactory clientFactory, ObjectProvider<ServiceBalancers> balancers) {
		String serviceId = LoadBalancerClientFactory.getName(environment);
		ObjectProvider<ServiceInstanceListSupplier> suppliers = clientFactory.getLazyProvider(serviceId,
				ServiceInstanceListSupplier.class);
		ServiceBalancers all = balancers.getIfAvailable();
		// without this starter's balancers (RpcBalancerAutoConfiguration excluded), Spring Cloud's round robin
		return (all != null) ? new RpcServiceInstanceLoadBalancer(suppliers, all.forService(serviceId),
				clientFactory.getProperties(serviceId).getHintHeaderName())
				: new RoundRobinLoadBalancer(suppliers, serviceId);
	}

	/**
	 * Spring Cloud looks the balancer and the lifecycles up in this context on every call; with this starter's
	 * factory, those answers are remembered while this context lives. Another factory: nothing to register.
	 */
	@Bean
	@ConditionalOnMissingBean
	ChildContextLookups rpcChildContextLookups(Environment environment, LoadBalancerClientFactory clientFactory) {
		return new ChildContextLookups(LoadBalancerClientFactory.getName(environment), clientFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	CallOutcomeLifecycle rpcCallOutcomeLifecycle(Environment environment, ObjectProvider<ServiceBalancers> balancers) {
		ServiceBalancers all = balancers.getIfAvailable();
		return new CallOutcomeLifecycle(
				(all != null) ? all.forService(LoadBalancerClientFactory.getName(environment)) : null);
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceInstanceListSupplier rpcServiceInstanceListSupplier(Environment environment, ServiceDiscovery discovery,
			ConfigurableApplicationContext context) {
		String serviceId = LoadBalancerClientFactory.getName(environment);
		ServiceInstanceListSupplierBuilder builder = ServiceInstanceListSupplier.builder()
			.withBase(new CatalogServiceInstanceListSupplier(serviceId, discovery));
		InstanceListConfiguration.forClient(environment).decorate(builder, context);
		if (needsOwnRetryAwareness(environment, context)) {
			builder.withRetryAwareness();
		}
		return builder.build(context);
	}

	/**
	 * Spring Cloud wraps the instance list so a retry avoids the instance that just failed, but only when a blocking
	 * {@code DiscoveryClient} bean exists; with blocking discovery off, this configuration adds the same wrapper.
	 */
	private static boolean needsOwnRetryAwareness(Environment environment, ConfigurableApplicationContext context) {
		return BeanFactoryUtils.beanNamesForTypeIncludingAncestors(context, DiscoveryClient.class).length == 0
				&& environment.getProperty("spring.cloud.loadbalancer.retry.enabled", Boolean.class, true)
				&& environment.getProperty("spring.cloud.loadbalancer.retry.avoid-previous-instance", Boolean.class,
						true);
	}

}

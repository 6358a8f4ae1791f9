package io.github.rpcdiscovery.loadbalancer;

import java.util.List;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The LoadBalancer child-context configuration for every service: services this starter resolves get the push-based
 * {@link CatalogServiceInstanceListSupplier} (so Spring Cloud's 35 s instance cache never applies to them); any other
 * service keeps Spring Cloud's usual discovery-client supplier (cached when Spring Cloud's cache is on). The decorators listed in
 * {@code spring.cloud.loadbalancer.configurations} ({@code zone-preference}, {@code health-check},
 * {@code same-instance-preference}, {@code request-based-sticky-session}, {@code weighted}, {@code subset}) still apply
 * on top of our list.
 * <p>
 * <p>
 * The balancer of a service this starter resolves is this starter's ({@link RpcServiceInstanceLoadBalancer}: P2C by
 * default, or the policy {@code rpc.load-balancer} names), fed with every call's outcome by a
 * {@link CallOutcomeLifecycle}; any other service keeps Spring Cloud's round robin. An application's own
 * {@code ReactorLoadBalancer} bean for a client wins over both.
 * <p>
 * Not an auto-configuration: it is registered with {@code @LoadBalancerClients(defaultConfiguration = ...)}.
 */
@Configuration(proxyBeanMethods = false)
public class RpcLoadBalancerClientConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactorLoadBalancer<ServiceInstance> rpcReactorLoadBalancer(Environment environment,
			LoadBalancerClientFactory clientFactory, ObjectProvider<ServiceDiscovery> discovery,
			ObjectProvider<ServiceBalancers> balancers) {
		String serviceId = LoadBalancerClientFactory.getName(environment);
		ObjectProvider<ServiceInstanceListSupplier> suppliers = clientFactory.getLazyProvider(serviceId,
				ServiceInstanceListSupplier.class);
		ServiceBalancer balancer = balancerOf(serviceId, discovery, balancers);
		return (balancer != null) ? new RpcServiceInstanceLoadBalancer(suppliers, balancer)
				: new RoundRobinLoadBalancer(suppliers, serviceId);
	}

	@Bean
	CallOutcomeLifecycle rpcCallOutcomeLifecycle(Environment environment, ObjectProvider<ServiceDiscovery> discovery,
			ObjectProvider<ServiceBalancers> balancers) {
		return new CallOutcomeLifecycle(balancerOf(LoadBalancerClientFactory.getName(environment), discovery,
				balancers));
	}

	private static @Nullable ServiceBalancer balancerOf(String serviceId, ObjectProvider<ServiceDiscovery> discovery,
			ObjectProvider<ServiceBalancers> balancers) {
		ServiceDiscovery serviceDiscovery = discovery.getIfAvailable();
		ServiceBalancers all = balancers.getIfAvailable();
		if (serviceDiscovery == null || all == null || !serviceDiscovery.resolves(serviceId)) {
			return null;
		}
		return all.forService(serviceId);
	}

	@Bean
	ServiceInstanceListSupplier rpcServiceInstanceListSupplier(Environment environment,
			ObjectProvider<ServiceDiscovery> discovery, ConfigurableApplicationContext context) {
		String serviceId = LoadBalancerClientFactory.getName(environment);
		ServiceDiscovery serviceDiscovery = discovery.getIfAvailable();
		ServiceInstanceListSupplierBuilder builder = ServiceInstanceListSupplier.builder();
		if (serviceDiscovery != null && serviceDiscovery.resolves(serviceId)) {
			builder.withBase(new CatalogServiceInstanceListSupplier(serviceId, serviceDiscovery));
		}
		else {
			fallback(builder, context);
		}
		for (String decorator : configurations(environment)) {
			applyDecorator(builder, decorator);
		}
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

	/** Spring Cloud's usual supplier for services this starter does not resolve, cached when a cache exists. */
	private static void fallback(ServiceInstanceListSupplierBuilder builder, ConfigurableApplicationContext context) {
		if (context.getBeanProvider(ReactiveDiscoveryClient.class).getIfAvailable() != null) {
			builder.withDiscoveryClient();
		}
		else {
			builder.withBlockingDiscoveryClient();
		}
		if (context.getBeanProvider(LoadBalancerCacheManager.class).getIfAvailable() != null) {
			builder.withCaching();
		}
	}

	private static List<String> configurations(Environment environment) {
		String value = environment.getProperty("spring.cloud.loadbalancer.configurations", "default");
		return List.of(value.split(",")).stream().map(String::strip).filter((s) -> !s.isEmpty()).toList();
	}

	private static void applyDecorator(ServiceInstanceListSupplierBuilder builder, String name) {
		switch (name) {
			case "zone-preference" -> builder.withZonePreference();
			case "health-check" -> builder.withHealthChecks();
			case "same-instance-preference" -> builder.withSameInstancePreference();
			case "request-based-sticky-session" -> builder.withRequestBasedStickySession();
			case "weighted" -> builder.withWeighted();
			case "subset" -> builder.withSubset();
			default -> {
				// "default" and unknown names add nothing, as in Spring Cloud
			}
		}
	}

}

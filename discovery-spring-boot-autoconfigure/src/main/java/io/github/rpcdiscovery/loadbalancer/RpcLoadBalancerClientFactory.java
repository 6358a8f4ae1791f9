package io.github.rpcdiscovery.loadbalancer;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClientsProperties;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Spring Cloud's {@link LoadBalancerClientFactory}, remembering what the child context of a service this starter
 * resolves answers. Spring Cloud asks the child context for the balancer and for the
 * {@code LoadBalancerLifecycle} beans on every call, several times per call with retries (the blocking client, the
 * WebClient filters and Spring Cloud Gateway's load-balancer filter alike); each question is a bean-factory type
 * lookup through the child and the parent context, the largest share of what a {@code @LoadBalanced} call costs
 * beyond the HTTP exchange (docs/load-balancing.md, "Per-call cost").
 * <p>
 * The answers are remembered only for the ids whose child context carries {@link RpcLoadBalancerClientConfiguration}
 * (it registers them, {@link #rememberLookups}, and forgets them when that context closes), and only when every bean
 * that answers is a singleton, so the same beans are returned as Spring Cloud would find them; a bean the application
 * defines in its own {@code @LoadBalancerClient} configuration is found, remembered and called the same way. Every
 * other id, and every other question, goes to Spring Cloud's lookup unchanged.
 */
public class RpcLoadBalancerClientFactory extends LoadBalancerClientFactory {

	/** Stands for "no such bean" in a cache that cannot hold null. */
	private static final Object NONE = new Object();

	/** Stands for "not cacheable: a bean that answers is not a singleton". */
	private static final Object ASK_EVERY_TIME = new Object();

	private final Map<String, Lookups> remembered = new ConcurrentHashMap<>();

	private final LoadBalancerClientsProperties properties;

	public RpcLoadBalancerClientFactory(LoadBalancerClientsProperties properties) {
		super(properties);
		this.properties = properties;
	}

	public RpcLoadBalancerClientFactory(LoadBalancerClientsProperties properties,
			Map<String, ApplicationContextInitializer<GenericApplicationContext>> applicationContextInitializers) {
		super(properties, applicationContextInitializers);
		this.properties = properties;
	}

	/**
	 * From now until {@link #forgetLookups}, remember what the child context of {@code serviceId} answers. Called
	 * while that context is built, by a bean of {@link RpcLoadBalancerClientConfiguration}: so only for ids this
	 * starter resolves, and never more entries than Spring Cloud has child contexts.
	 */
	void rememberLookups(String serviceId, Object owner) {
		this.remembered.put(serviceId, new Lookups(owner));
	}

	void forgetLookups(String serviceId, Object owner) {
		this.remembered.computeIfPresent(serviceId, (id, lookups) -> (lookups.owner == owner) ? null : lookups);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getInstance(String name, Class<T> type) {
		Lookups lookups = (name != null) ? this.remembered.get(name) : null;
		if (lookups == null) {
			return super.getInstance(name, type);
		}
		Object answer = lookups.instances.get(type);
		if (answer == null) {
			answer = remember(lookups.instances, name, type, () -> super.getInstance(name, type));
		}
		return (answer == NONE) ? null : (answer == ASK_EVERY_TIME) ? super.getInstance(name, type) : (T) answer;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> Map<String, T> getInstances(String name, Class<T> type) {
		Lookups lookups = (name != null) ? this.remembered.get(name) : null;
		if (lookups == null) {
			return super.getInstances(name, type);
		}
		Object answer = lookups.beansOfType.get(type);
		if (answer == null) {
			// read-only: every caller shares this map
			answer = remember(lookups.beansOfType, name, type,
					() -> Collections.unmodifiableMap(new LinkedHashMap<>(super.getInstances(name, type))));
		}
		return (answer == ASK_EVERY_TIME) ? super.getInstances(name, type) : (Map<String, T>) answer;
	}

	private Object remember(Map<Class<?>, Object> cache, String name, Class<?> type, Supplier<?> lookUp) {
		Object found = lookUp.get();
		Object answer = !onlySingletons(name, type) ? ASK_EVERY_TIME : (found != null) ? found : NONE;
		cache.putIfAbsent(type, answer);
		return answer;
	}

	private boolean onlySingletons(String name, Class<?> type) {
		GenericApplicationContext context = getContext(name);
		for (String bean : BeanFactoryUtils.beanNamesForTypeIncludingAncestors(context, type)) {
			if (!context.isSingleton(bean)) {
				return false;
			}
		}
		return true;
	}

	@Override
	public LoadBalancerClientFactory withApplicationContextInitializers(
			Map<String, Object> applicationContextInitializers) {
		Map<String, ApplicationContextInitializer<GenericApplicationContext>> initializers = new HashMap<>();
		applicationContextInitializers.forEach((contextId, initializer) -> initializers.put(contextId,
				castInitializer(initializer)));
		return new RpcLoadBalancerClientFactory(this.properties, initializers);
	}

	@SuppressWarnings("unchecked")
	private static ApplicationContextInitializer<GenericApplicationContext> castInitializer(Object initializer) {
		return (ApplicationContextInitializer<GenericApplicationContext>) initializer;
	}

	@Override
	public void destroy() {
		this.remembered.clear();
		super.destroy();
	}

	/** What one child context answered, by the type asked for. */
	private static final class Lookups {

		final Object owner;

		final Map<Class<?>, Object> instances = new ConcurrentHashMap<>();

		final Map<Class<?>, Object> beansOfType = new ConcurrentHashMap<>();

		Lookups(Object owner) {
			this.owner = owner;
		}

	}

}

package io.github.rpcdiscovery.loadbalancer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The values of Spring Cloud's {@code spring.cloud.loadbalancer.configurations} (and its per-client form
 * {@code spring.cloud.loadbalancer.clients.<id>.configurations}), as Spring Cloud's
 * {@code LoadBalancerClientConfiguration} defines them: one value, case-insensitive, per client or for all. Each adds
 * the decorators Spring Cloud's own supplier for that value has, on top of this starter's catalog instead of a
 * discovery client. Spring Cloud's {@code withCaching()} is left out: the catalog is pushed, and a cache would delay
 * every change by its TTL.
 * <p>
 * Reactive or blocking is decided as Spring Cloud decides it: the reactive variant when a
 * {@link ReactiveDiscoveryClient} bean exists, the blocking one otherwise; this matters for {@code health-check},
 * whose probes run on a {@code WebClient} or on a {@code RestTemplate}/{@code RestClient}.
 */
public enum InstanceListConfiguration {

	DEFAULT("default"), ZONE_PREFERENCE("zone-preference"), HEALTH_CHECK("health-check"),
	REQUEST_BASED_STICKY_SESSION("request-based-sticky-session"), SAME_INSTANCE_PREFERENCE("same-instance-preference"),
	WEIGHTED("weighted"), SUBSET("subset"), API_VERSION("api-version");

	static final String PROPERTY = "spring.cloud.loadbalancer.configurations";

	// by name: WebFlux and Spring Web are optional next to Spring Cloud LoadBalancer
	private static final String WEB_CLIENT_BUILDER = "org.springframework.web.reactive.function.client.WebClient$Builder";

	private static final String REST_TEMPLATE = "org.springframework.web.client.RestTemplate";

	private static final String REST_CLIENT = "org.springframework.web.client.RestClient";

	private final String value;

	InstanceListConfiguration(String value) {
		this.value = value;
	}

	/** The configuration of the client whose LoadBalancer child context this environment belongs to. */
	static InstanceListConfiguration forClient(Environment environment) {
		String clientProperty = "spring.cloud.loadbalancer.clients." + LoadBalancerClientFactory.getName(environment)
				+ ".configurations";
		String clientValue = environment.getProperty(clientProperty);
		if (clientValue != null) {
			return of(clientProperty, clientValue);
		}
		String value = environment.getProperty(PROPERTY);
		return (value != null) ? of(PROPERTY, value) : DEFAULT;
	}

	/**
	 * Checks every {@code configurations} value of the application, so a typo fails the startup rather than the first
	 * call (Spring Cloud itself would quietly build no instance list for it).
	 * @throws InvalidRpcPropertyException naming the property and the valid values
	 */
	public static void validate(Environment environment) {
		Binder binder = Binder.get(environment);
		binder.bind(PROPERTY, String.class).ifBound((value) -> of(PROPERTY, value));
		Map<String, ClientConfigurations> clients = binder
			.bind("spring.cloud.loadbalancer.clients", Bindable.mapOf(String.class, ClientConfigurations.class))
			.orElse(Map.of());
		clients.forEach((client, settings) -> {
			if (settings.configurations() != null) {
				of("spring.cloud.loadbalancer.clients." + client + ".configurations", settings.configurations());
			}
		});
	}

	static InstanceListConfiguration of(String property, String value) {
		String wanted = value.strip().toLowerCase(Locale.ROOT);
		for (InstanceListConfiguration configuration : values()) {
			if (configuration.value.equals(wanted)) {
				return configuration;
			}
		}
		String valid = Arrays.stream(values()).map((c) -> c.value).collect(Collectors.joining(", "));
		String problem = value.contains(",")
				? "Spring Cloud LoadBalancer takes one configuration per client, not a list"
				: "Spring Cloud LoadBalancer has no configuration of that name";
		throw new InvalidRpcPropertyException(property, value, problem, "set one of: " + valid
				+ " (per client: spring.cloud.loadbalancer.clients.<service-id>.configurations)");
	}

	/** Adds this configuration's decorators to a builder whose base is already set. */
	void decorate(ServiceInstanceListSupplierBuilder builder, ConfigurableApplicationContext context) {
		boolean reactive = has(context, ReactiveDiscoveryClient.class.getName());
		switch (this) {
			case DEFAULT -> {
				// the catalog alone
			}
			case ZONE_PREFERENCE -> builder.withZonePreference();
			case HEALTH_CHECK -> healthChecks(builder, context, reactive);
			case REQUEST_BASED_STICKY_SESSION -> builder.withRequestBasedStickySession();
			case SAME_INSTANCE_PREFERENCE -> builder.withSameInstancePreference();
			case WEIGHTED -> builder.withWeighted();
			case SUBSET -> builder.withSubset();
			case API_VERSION -> {
				if (reactive) {
					builder.withReactiveApiVersioning();
				}
				else {
					builder.withBlockingApiVersioning();
				}
			}
		}
	}

	/** Spring Cloud's choice: WebClient probes in a reactive app, else a RestTemplate, else a RestClient bean. */
	private static void healthChecks(ServiceInstanceListSupplierBuilder builder,
			ConfigurableApplicationContext context, boolean reactive) {
		if (reactive && has(context, WEB_CLIENT_BUILDER)) {
			builder.withHealthChecks();
		}
		else if (!reactive && has(context, REST_TEMPLATE)) {
			builder.withBlockingHealthChecks();
		}
		else if (!reactive && has(context, REST_CLIENT)) {
			builder.withBlockingRestClientHealthChecks();
		}
		else {
			String needs = reactive ? "a WebClient.Builder bean" : "a RestTemplate or a RestClient bean";
			throw new InvalidRpcPropertyException(PROPERTY, HEALTH_CHECK.value, "the health check probes instances"
					+ " with " + needs + " (Spring Cloud's rule for a " + (reactive ? "reactive" : "blocking")
					+ " application) and there is none", "define " + needs + ", or choose another configuration");
		}
	}

	/** Like Spring Cloud's {@code @ConditionalOnBean}: in this context or its parent, false if the class is absent. */
	private static boolean has(ConfigurableApplicationContext context, String typeName) {
		ClassLoader classLoader = context.getClassLoader();
		if (!ClassUtils.isPresent(typeName, classLoader)) {
			return false;
		}
		Class<?> type = ClassUtils.resolveClassName(typeName, classLoader);
		return BeanFactoryUtils.beanNamesForTypeIncludingAncestors(context.getBeanFactory(), type).length > 0;
	}

	/** The one per-client setting this check reads; Spring Cloud binds the rest of the client block itself. */
	record ClientConfigurations(@Nullable String configurations) {
	}

}

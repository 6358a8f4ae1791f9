package io.github.rpcdiscovery.loadbalancer;

import java.util.ArrayList;
import java.util.List;

import io.github.rpcdiscovery.autoconfigure.RpcBalancerAutoConfigurationAccess;
import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spring.cloud.loadbalancer.configurations} means what Spring Cloud defines, for every value, in a blocking and
 * in a reactive application, with this starter's catalog as the base of the instance list.
 */
class SpringCloudConfigurationsTests {

	/** A blocking application: no reactive discovery client; a RestTemplate for the health checks. */
	private final ApplicationContextRunner blocking = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RpcBalancerAutoConfigurationAccess.autoConfigurations()))
		.withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
				BlockingLoadBalancerClientAutoConfiguration.class,
				org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class,
				ReactorLoadBalancerClientAutoConfiguration.class))
		.withBean(RestTemplate.class, RestTemplate::new)
		.withPropertyValues("spring.cloud.loadbalancer.retry.enabled=false", "rpc.clients[0].name=a",
				"rpc.clients[0].endpoints=127.0.0.1:8081");

	/** A reactive application: this starter's and Spring Cloud's reactive discovery clients, a WebClient.Builder. */
	private final ApplicationContextRunner reactive = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RpcBalancerAutoConfigurationAccess.autoConfigurations()))
		.withConfiguration(AutoConfigurations.of(RpcBalancerAutoConfigurationAccess.reactiveDiscovery(),
				ReactiveCompositeDiscoveryClientAutoConfiguration.class, UtilAutoConfiguration.class,
				LoadBalancerAutoConfiguration.class,
				org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class,
				ReactorLoadBalancerClientAutoConfiguration.class))
		.withBean(WebClient.Builder.class, WebClient::builder)
		.withPropertyValues("spring.cloud.loadbalancer.retry.enabled=false", "rpc.clients[0].name=a",
				"rpc.clients[0].endpoints=127.0.0.1:8081");

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "default, ''", "zone-preference, ZonePreferenceServiceInstanceListSupplier",
			"health-check, HealthCheckServiceInstanceListSupplier",
			"request-based-sticky-session, RequestBasedStickySessionServiceInstanceListSupplier",
			"same-instance-preference, SameInstancePreferenceServiceInstanceListSupplier",
			"weighted, WeightedServiceInstanceListSupplier", "subset, SubsetServiceInstanceListSupplier",
			"api-version, BlockingApiVersionServiceInstanceListSupplier" })
	void eachValueInABlockingApplication(String value, String decorator) {
		this.blocking.withPropertyValues("spring.cloud.loadbalancer.configurations=" + value)
			.run((context) -> assertThat(chain(context, "a")).containsExactlyElementsOf(expected(decorator)));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "default, ''", "zone-preference, ZonePreferenceServiceInstanceListSupplier",
			"health-check, HealthCheckServiceInstanceListSupplier",
			"request-based-sticky-session, RequestBasedStickySessionServiceInstanceListSupplier",
			"same-instance-preference, SameInstancePreferenceServiceInstanceListSupplier",
			"weighted, WeightedServiceInstanceListSupplier", "subset, SubsetServiceInstanceListSupplier",
			"api-version, ReactiveApiVersionServiceInstanceListSupplier" })
	void eachValueInAReactiveApplication(String value, String decorator) {
		this.reactive.withPropertyValues("spring.cloud.loadbalancer.configurations=" + value)
			.run((context) -> assertThat(chain(context, "a")).containsExactlyElementsOf(expected(decorator)));
	}

	@Test
	void theHealthCheckOfABlockingApplicationWithARestClientOnlyUsesIt() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RpcBalancerAutoConfigurationAccess.autoConfigurations()))
			.withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
					BlockingLoadBalancerClientAutoConfiguration.class,
					org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class))
			.withBean(RestClient.class, RestClient::create)
			.withPropertyValues("spring.cloud.loadbalancer.configurations=health-check", "rpc.clients[0].name=a",
					"rpc.clients[0].endpoints=127.0.0.1:8081")
			.run((context) -> assertThat(chain(context, "a")).contains("HealthCheckServiceInstanceListSupplier"));
	}

	@Test
	void aPerClientValueWinsOverTheDefault() {
		this.blocking
			.withPropertyValues("spring.cloud.loadbalancer.configurations=weighted",
					"spring.cloud.loadbalancer.clients.a.configurations=zone-preference")
			.run((context) -> assertThat(chain(context, "a")).startsWith("ZonePreferenceServiceInstanceListSupplier"));
	}

	@Test
	void anUnknownValueFailsTheStartupWithTheValidOnes() {
		this.blocking.withPropertyValues("spring.cloud.loadbalancer.configurations=zone-preferance").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidRpcPropertyException.class)
				.satisfies((failure) -> {
					InvalidRpcPropertyException invalid = (InvalidRpcPropertyException) failure;
					assertThat(invalid.getProperty()).isEqualTo("spring.cloud.loadbalancer.configurations");
					assertThat(invalid.getFix()).contains("default, zone-preference, health-check",
							"weighted", "subset", "api-version");
				});
		});
	}

	@Test
	void anUnknownPerClientValueAndAListFailTheStartupToo() {
		this.blocking.withPropertyValues("spring.cloud.loadbalancer.clients.orders.configurations=sticky")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("spring.cloud.loadbalancer.clients.orders.configurations"));
		this.blocking.withPropertyValues("spring.cloud.loadbalancer.configurations=zone-preference,health-check")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("one configuration per client, not a list"));
	}

	private static List<String> expected(String decorator) {
		List<String> chain = new ArrayList<>();
		if (!decorator.isEmpty()) {
			chain.add(decorator);
		}
		chain.add(CatalogServiceInstanceListSupplier.class.getSimpleName());
		return chain;
	}

	/** The instance list of a service, outermost first. */
	private static List<String> chain(AssertableApplicationContext context, String serviceId) {
		assertThat(context).hasNotFailed();
		ServiceInstanceListSupplier supplier = context.getBean(LoadBalancerClientFactory.class)
			.getInstance(serviceId, ServiceInstanceListSupplier.class);
		List<String> chain = new ArrayList<>();
		while (supplier instanceof DelegatingServiceInstanceListSupplier delegating) {
			chain.add(supplier.getClass().getSimpleName());
			supplier = delegating.getDelegate();
		}
		chain.add(supplier.getClass().getSimpleName());
		return chain;
	}

}

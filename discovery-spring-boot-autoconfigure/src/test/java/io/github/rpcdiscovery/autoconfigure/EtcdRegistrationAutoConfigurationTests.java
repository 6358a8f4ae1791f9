package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.registration.EtcdAutoRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdServiceRegistry;
import io.github.rpcdiscovery.etcd.registration.RegistrationAddressResolver;
import io.github.rpcdiscovery.target.EtcdCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.endpoint.ServiceRegistryEndpoint;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which registration beans exist with which settings. Nothing here connects to etcd: the registry connects when the
 * application is ready, which a context runner never is.
 */
class EtcdRegistrationAutoConfigurationTests {

	private static final String HOSTS = "rpc.etcd.hosts=127.0.0.1:2379";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdRegistrationAutoConfiguration.class,
				UtilAutoConfiguration.class, AutoServiceRegistrationConfiguration.class,
				AutoServiceRegistrationAutoConfiguration.class, ServiceRegistryAutoConfiguration.class,
				EndpointAutoConfiguration.class, RpcCredentialsSanitizingAutoConfiguration.class))
		.withPropertyValues("spring.application.name=user.rpc");

	@Test
	void nothingWithoutEtcdHosts() {
		this.runner.run(EtcdRegistrationAutoConfigurationTests::hasNoRegistration);
		this.runner.withPropertyValues("rpc.clients[0].etcd.hosts=127.0.0.1:2379", "rpc.clients[0].etcd.key=order.rpc")
			.run(EtcdRegistrationAutoConfigurationTests::hasNoRegistration);
	}

	@Test
	void etcdHostsBringTheRegistryTheRegistrationAndTheAutoRegistration() {
		this.runner.withPropertyValues(HOSTS).run((context) -> {
			assertThat(context).hasSingleBean(EtcdServiceRegistry.class)
				.hasSingleBean(EtcdRegistration.class)
				.hasSingleBean(EtcdAutoRegistration.class)
				.hasSingleBean(RegistrationAddressResolver.class)
				.hasSingleBean(AutoServiceRegistration.class);
			assertThat(context.getBean(EtcdServiceRegistry.class).cluster()).isEqualTo(EtcdCluster.of(
					java.util.List.of("127.0.0.1:2379")));
			EtcdRegistration registration = context.getBean(EtcdRegistration.class);
			assertThat(registration.key()).isEqualTo("user.rpc");
			assertThat(registration.fixedId()).isZero();
			assertThat(registration.ttl()).hasSeconds(10);
			assertThat(registration.getMetadata()).containsExactly(java.util.Map.entry("scheme", "http"));
			assertThat(registration.address()).isNull();
		});
	}

	@Test
	void goZeroYamlPastedAsIsCounts() {
		this.runner.withPropertyValues("Rpc.Etcd.Hosts[0]=127.0.0.1:2379", "Rpc.Etcd.Key=order.rpc", "Rpc.Etcd.ID=7",
				"Rpc.Etcd.Ttl=7").run((context) -> {
					EtcdRegistration registration = context.getBean(EtcdRegistration.class);
					assertThat(registration.key()).isEqualTo("order.rpc");
					assertThat(registration.fixedId()).isEqualTo(7);
					assertThat(registration.ttl()).hasSeconds(7);
				});
	}

	@Test
	void theKeyIsRpcEtcdKeyElseTheApplicationNameNeverAClientsKey() {
		this.runner.withPropertyValues(HOSTS, "rpc.clients[0].etcd.key=order.rpc")
			.run((context) -> assertThat(context.getBean(EtcdRegistration.class).key()).isEqualTo("user.rpc"));
		this.runner.withPropertyValues(HOSTS, "rpc.etcd.key=pay.rpc")
			.run((context) -> assertThat(context.getBean(EtcdRegistration.class).key()).isEqualTo("pay.rpc"));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class,
				EtcdRegistrationAutoConfiguration.class, UtilAutoConfiguration.class))
			.withPropertyValues(HOSTS)
			.run((context) -> assertThat(context.getBean(EtcdRegistration.class).key()).isNull());
	}

	@Test
	void metadataDefaultsFollowTheLoadBalancerZoneAndTheServerSsl() {
		this.runner.withPropertyValues(HOSTS, "spring.cloud.loadbalancer.zone=z9", "server.ssl.enabled=true",
				"rpc.registration.weight=3", "rpc.registration.metadata.team=core")
			.run((context) -> assertThat(context.getBean(EtcdRegistration.class).getMetadata()).containsExactly(
					java.util.Map.entry("scheme", "https"), java.util.Map.entry("zone", "z9"),
					java.util.Map.entry("weight", "3"), java.util.Map.entry("team", "core")));
	}

	@Test
	void autoRegistrationDisabledKeepsOnlyTheRegistry() {
		this.runner.withPropertyValues(HOSTS, "spring.cloud.service-registry.auto-registration.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(EtcdServiceRegistry.class)
				.doesNotHaveBean(EtcdRegistration.class)
				.doesNotHaveBean(EtcdAutoRegistration.class));
	}

	@Test
	void switchesTurnRegistrationOff() {
		for (String off : new String[] { "rpc.registration.enabled=false", "spring.cloud.service-registry.enabled=false",
				"spring.cloud.discovery.enabled=false" }) {
			this.runner.withPropertyValues(HOSTS, off).run(EtcdRegistrationAutoConfigurationTests::hasNoRegistration);
		}
	}

	@Test
	void backsOffWithoutJetcd() {
		this.runner.withPropertyValues(HOSTS)
			.withClassLoader(new FilteredClassLoader("io.etcd.jetcd"))
			.run(EtcdRegistrationAutoConfigurationTests::hasNoRegistration);
	}

	@Test
	void aRegistryOfTheApplicationsOwnWins() {
		this.runner.withPropertyValues(HOSTS).withUserConfiguration(OwnRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(EtcdServiceRegistry.class);
			assertThat(context.getBean(EtcdServiceRegistry.class)).isSameAs(OwnRegistry.registry);
		});
	}

	@Test
	void springCloudsFailFastFindsTheAutoRegistration() {
		this.runner.withPropertyValues(HOSTS, "spring.cloud.service-registry.auto-registration.fail-fast=true")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(EtcdAutoRegistration.class));
	}

	@Test
	void theServiceRegistryEndpointSeesTheRegistry() {
		this.runner.withPropertyValues(HOSTS, "management.endpoints.web.exposure.include=serviceregistry")
			.run((context) -> {
				assertThat(context).hasSingleBean(ServiceRegistryEndpoint.class);
				assertThat(context.getBean(ServiceRegistry.class)).isInstanceOf(EtcdServiceRegistry.class);
				assertThat(context.getBean(ServiceRegistryEndpoint.class).getStatus().getBody())
					.isEqualTo(EtcdServiceRegistry.UNREGISTERED);
			});
	}

	@Test
	void aBadListenOnFailsTheStartupNamingIt() {
		this.runner.withPropertyValues(HOSTS, "rpc.listen-on=127.0.0.1:http")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidRpcPropertyException.class)
				.hasMessageContaining("rpc.listen-on"));
	}

	@Test
	void theEtcdPasswordIsMaskedInActuatorOutput() {
		this.runner.run((context) -> {
			SanitizingFunction sanitizer = context.getBean(SanitizingFunction.class);
			for (String key : new String[] { "rpc.etcd.pass", "Rpc.Etcd.Pass", "rpc.clients[0].etcd.pass", "pass" }) {
				assertThat(sanitizer.apply(new SanitizableData(null, key, "pw")).getValue()).as(key)
					.isEqualTo(SanitizableData.SANITIZED_VALUE);
			}
			assertThat(sanitizer.apply(new SanitizableData(null, "rpc.etcd.user", "app")).getValue()).isEqualTo("app");
		});
	}

	private static void hasNoRegistration(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed()
			.doesNotHaveBean(EtcdServiceRegistry.class)
			.doesNotHaveBean(EtcdRegistration.class)
			.doesNotHaveBean(EtcdAutoRegistration.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRegistry {

		static final EtcdServiceRegistry registry = new EtcdServiceRegistry(new EtcdConnections(),
				EtcdCluster.of(java.util.List.of("127.0.0.1:2379")), false);

		@Bean
		EtcdServiceRegistry ownRegistry() {
			return registry;
		}

	}

}

package io.github.rpcdiscovery.autoconfigure;

import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.actuate.RegistrationHealthIndicator;
import io.github.rpcdiscovery.actuate.RegistryHealthIndicator;
import io.github.rpcdiscovery.actuate.RpcEndpoint;
import io.github.rpcdiscovery.actuate.RpcReadinessHealthIndicator;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.metrics.RpcMetrics;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.net.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations matrix: the {@code rpc} endpoint, the health indicators and the meters, each on and off by property
 * and by a missing class (actuator, health, Micrometer). Nothing here connects to etcd: the etcd hosts are named, but
 * no etcd service is configured and the application never becomes ready, so nothing is watched or registered.
 */
class RpcOperationsAutoConfigurationTests {

	private static final String ETCD = "rpc.etcd.hosts=127.0.0.1:2379";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, RpcDiscoveryAutoConfiguration.class,
				EtcdDiscoveryAutoConfiguration.class, EtcdRegistrationAutoConfiguration.class,
				RpcBalancerAutoConfiguration.class, UtilAutoConfiguration.class,
				AutoServiceRegistrationConfiguration.class, AutoServiceRegistrationAutoConfiguration.class,
				RpcEndpointAutoConfiguration.class, RpcHealthAutoConfiguration.class,
				RpcMetricsAutoConfiguration.class))
		.withPropertyValues("spring.application.name=ops.rpc", "rpc.clients[0].name=a",
				"rpc.clients[0].endpoints=127.0.0.1:8081,127.0.0.2:8082");

	private final ApplicationContextRunner withMeters = this.runner
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	// the endpoint

	@Test
	void theEndpointExistsOnceExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(RpcEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=rpc")
			.run((context) -> assertThat(context).hasSingleBean(RpcEndpoint.class));
	}

	@Test
	void theEndpointIsOffWithoutActuatorOrDiscovery() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=rpc")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).doesNotHaveBean(RpcEndpoint.class)
				.hasSingleBean(ServiceDiscovery.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=rpc", "rpc.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RpcEndpoint.class));
	}

	@Test
	@SuppressWarnings("unchecked")
	void theEndpointShowsRegistrationsRegistriesAndServicesWithoutCredentials() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=rpc", ETCD, "rpc.etcd.user=app",
					"rpc.etcd.pass=s3cr3t-pass")
			.run((context) -> {
				Map<String, Object> view = context.getBean(RpcEndpoint.class).rpc();
				assertThat(view).containsOnlyKeys("registrations", "registries", "services");
				// not registered before the application is ready
				assertThat((List<?>) view.get("registrations")).isEmpty();
				Map<String, Object> a = (Map<String, Object>) ((Map<String, Object>) view.get("services")).get("a");
				assertThat(a).containsEntry("loaded", true).containsEntry("source", "direct");
				assertThat(view.toString()).doesNotContain("s3cr3t-pass");
			});
	}

	// health

	@Test
	void etcdBringsTheRegistryAndRegistrationIndicatorsButNoReadinessUnlessAskedFor() {
		this.runner.withPropertyValues(ETCD).run((context) -> {
			assertThat(context).hasSingleBean(RegistryHealthIndicator.class)
				.hasBean("etcdDiscoveryHealthIndicator")
				.hasSingleBean(RegistrationHealthIndicator.class)
				.doesNotHaveBean(RpcReadinessHealthIndicator.class);
			assertThat(context.getBean(RegistryHealthIndicator.class).getName()).isEqualTo("etcd");
			Health registration = context.getBean(RegistrationHealthIndicator.class).health();
			assertThat(registration.getStatus()).isEqualTo(Status.UP);
		});
		this.runner.withPropertyValues(ETCD, "rpc.health.readiness.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(RpcReadinessHealthIndicator.class));
	}

	@Test
	void withoutEtcdThereIsNoEtcdIndicator() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(RegistryHealthIndicator.class)
			.doesNotHaveBean(RegistrationHealthIndicator.class));
	}

	@Test
	@SuppressWarnings("unchecked")
	void anEtcdClientBlockAloneBringsTheRegistryIndicatorButNoRegistration() {
		// nobody listens there: the watch of the configured service keeps trying, and the health shows it, UP
		String hosts = "127.0.0.1:" + FreePorts.next();
		this.runner.withPropertyValues("rpc.clients[1].target=etcd:///" + hosts + "?key=order.rpc").run((context) -> {
			assertThat(context).hasSingleBean(RegistryHealthIndicator.class)
				.doesNotHaveBean(RegistrationHealthIndicator.class);
			Health etcd = context.getBean(RegistryHealthIndicator.class).health();
			assertThat(etcd.getStatus()).isEqualTo(Status.UP);
			assertThat((Map<String, Object>) etcd.getDetails().get("connections")).containsOnlyKeys(hosts);
		});
	}

	@Test
	void healthIndicatorsCanBeSwitchedOffOneByOne() {
		this.runner.withPropertyValues(ETCD, "management.health.etcdDiscovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RegistryHealthIndicator.class)
				.hasSingleBean(RegistrationHealthIndicator.class));
		this.runner.withPropertyValues(ETCD, "management.health.rpcRegistration.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(RegistryHealthIndicator.class)
				.doesNotHaveBean(RegistrationHealthIndicator.class));
	}

	@Test
	void withoutSpringBootHealthThereAreNoIndicators() {
		this.runner.withPropertyValues(ETCD, "rpc.health.readiness.enabled=true")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).doesNotHaveBean(RegistryHealthIndicator.class)
				.doesNotHaveBean(RegistrationHealthIndicator.class)
				.doesNotHaveBean(RpcReadinessHealthIndicator.class)
				.hasSingleBean(ServiceDiscovery.class));
	}

	@Test
	void readinessIsUpOnceEveryConfiguredServiceHasItsFirstList() {
		this.runner.withPropertyValues("rpc.health.readiness.enabled=true").run((context) -> {
			Health health = context.getBean(RpcReadinessHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).isEmpty();
		});
	}

	// metrics

	@Test
	void metricsNeedAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(RpcMetrics.class));
		this.withMeters.run((context) -> assertThat(context).hasSingleBean(RpcMetrics.class));
	}

	@Test
	void metricsAreOffWithoutMicrometerOrDiscovery() {
		this.withMeters.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).doesNotHaveBean(RpcMetrics.class)
				.hasSingleBean(ServiceDiscovery.class));
		this.withMeters.withPropertyValues("rpc.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RpcMetrics.class));
	}

	@Test
	void theInstancesGaugeFollowsTheCatalog() {
		this.withMeters.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			// binding happens when something asks the binder; Boot's metrics auto-configuration does it at startup
			context.getBean(RpcMetrics.class).bindTo(meters);
			assertThat(instances(meters, "a")).isEqualTo(2);
			ServiceDiscovery discovery = context.getBean(ServiceDiscovery.class);
			discovery.catalog()
				.update("a", List.of(new DiscoveredInstance("a", new HostAndPort("127.0.0.1", 8081), "direct",
						Map.of())), "test");
			assertThat(instances(meters, "a")).isEqualTo(1);
			// a service first seen later gets its gauge when it appears
			discovery.catalog()
				.update("late", List.of(new DiscoveredInstance("late", new HostAndPort("127.0.0.3", 8083), "direct",
						Map.of())), "test");
			assertThat(instances(meters, "late")).isEqualTo(1);
		});
	}

	private static double instances(MeterRegistry meters, String serviceId) {
		return meters.get("rpc.discovery.instances").tag("service", serviceId).gauge().value();
	}

}

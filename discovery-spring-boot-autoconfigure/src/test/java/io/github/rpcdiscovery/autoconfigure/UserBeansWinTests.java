package io.github.rpcdiscovery.autoconfigure;

import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.cloud.CatalogHeartbeatPublisher;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.direct.DirectDiscoverySource;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.registration.EtcdAutoRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdServiceRegistry;
import io.github.rpcdiscovery.loadbalancer.CallOutcomeLifecycle;
import io.github.rpcdiscovery.loadbalancer.RpcLoadBalancerClientFactory;
import io.github.rpcdiscovery.loadbalancer.RpcServiceInstanceLoadBalancer;
import io.github.rpcdiscovery.target.EtcdCluster;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClientsProperties;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.blocking.client.BlockingLoadBalancerClient;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** An application's own bean replaces this starter's, at each override point. */
class UserBeansWinTests {

	private final ApplicationContextRunner loadBalancing = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RpcDiscoveryAutoConfiguration.class,
				RpcLoadBalancerAutoConfiguration.class, RpcBalancerAutoConfiguration.class,
				UtilAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
				BlockingLoadBalancerClientAutoConfiguration.class,
				org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class,
				ReactorLoadBalancerClientAutoConfiguration.class))
		.withPropertyValues("spring.cloud.loadbalancer.retry.enabled=false", "rpc.clients[0].name=a",
				"rpc.clients[0].endpoints=127.0.0.1:8081", "rpc.clients[1].name=b",
				"rpc.clients[1].endpoints=127.0.0.1:9091");

	@Test
	void anInstanceListSupplierInALoadBalancerClientConfigurationIsTheOnlyOneOfItsService() {
		this.loadBalancing.withUserConfiguration(OwnSupplierForA.class).run((context) -> {
			LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
			Map<String, ServiceInstanceListSupplier> suppliers = factory.getInstances("a",
					ServiceInstanceListSupplier.class);
			assertThat(suppliers).containsOnlyKeys("fixedInstances");
			List<ServiceInstance> listed = factory.getInstance("a", ServiceInstanceListSupplier.class).get().blockFirst();
			assertThat(listed).extracting(ServiceInstance::getPort).containsExactly(7777);
			// the other service keeps this starter's supplier
			assertThat(factory.getInstances("b", ServiceInstanceListSupplier.class)).containsOnlyKeys(
					"rpcServiceInstanceListSupplier");
		});
	}

	@Test
	void aCallOutcomeLifecycleOfTheApplicationReplacesThisStartersForItsService() {
		this.loadBalancing.withUserConfiguration(OwnLifecycleForA.class).run((context) -> {
			LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
			assertThat(factory.getInstances("a", CallOutcomeLifecycle.class)).containsOnlyKeys("ownLifecycle");
			assertThat(factory.getInstances("b", CallOutcomeLifecycle.class)).containsOnlyKeys(
					"rpcCallOutcomeLifecycle");
		});
	}

	@Test
	void withoutAFactoryOfItsOwnTheApplicationGetsThisStartersFactory() {
		this.loadBalancing.run((context) -> assertThat(context).getBean(LoadBalancerClientFactory.class)
			.isInstanceOf(RpcLoadBalancerClientFactory.class));
	}

	@Test
	void aLoadBalancerClientFactoryOfTheApplicationIsTheOneSpringCloudUses() {
		this.loadBalancing.withUserConfiguration(OwnClientFactory.class).run((context) -> {
			LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
			assertThat(factory).isSameAs(context.getBean("ownClientFactory"))
				.isNotInstanceOf(RpcLoadBalancerClientFactory.class);
			// this starter's balancer still serves its ids, through the application's factory
			assertThat(factory.getInstance("a")).isInstanceOf(RpcServiceInstanceLoadBalancer.class);
			assertThat(context.getBean(org.springframework.cloud.client.loadbalancer.LoadBalancerClient.class)
				.choose("a")
				.getPort()).isEqualTo(8081);
		});
	}

	@Test
	void aLoadBalancerClientOfTheApplicationIsTheOnlyOne() {
		this.loadBalancing.withUserConfiguration(OwnLoadBalancerClient.class).run((context) -> {
			assertThat(context).hasSingleBean(org.springframework.cloud.client.loadbalancer.LoadBalancerClient.class);
			assertThat(context).getBean(org.springframework.cloud.client.loadbalancer.LoadBalancerClient.class)
				.isSameAs(context.getBean("ownLoadBalancerClient"));
		});
	}

	@Test
	void withTheLoadBalancerOffThereIsNeitherFactoryNorClient() {
		this.loadBalancing.withPropertyValues("spring.cloud.loadbalancer.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LoadBalancerClientFactory.class);
			assertThat(context).doesNotHaveBean(org.springframework.cloud.client.loadbalancer.LoadBalancerClient.class);
		});
	}

	@Test
	void theDirectSourceAndTheHeartbeatPublisherBackOff() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RpcDiscoveryAutoConfiguration.class))
			.withPropertyValues("rpc.clients[0].name=a", "rpc.clients[0].endpoints=127.0.0.1:8081")
			.withUserConfiguration(OwnDiscoveryBeans.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(DirectDiscoverySource.class)
					.hasSingleBean(CatalogHeartbeatPublisher.class);
				assertThat(context).hasBean("ownDirect").hasBean("ownHeartbeat");
			});
	}

	@Test
	void theApplicationsSanitizerReplacesThisStartersUnderTheSameName() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
					RpcCredentialsSanitizingAutoConfiguration.class))
			.withBean("rpcCredentialsSanitizer", SanitizingFunction.class, () -> (data) -> data)
			.run((context) -> assertThat(context.getBeansOfType(SanitizingFunction.class)).hasSize(1));
	}

	private final ApplicationContextRunner registration = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdRegistrationAutoConfiguration.class,
				UtilAutoConfiguration.class, AutoServiceRegistrationConfiguration.class,
				AutoServiceRegistrationAutoConfiguration.class, ServiceRegistryAutoConfiguration.class))
		.withPropertyValues("spring.application.name=user.rpc", "rpc.etcd.hosts=127.0.0.1:2379");

	@Test
	void anEtcdServiceRegistryOfTheApplicationIsTheOneAutoRegistrationUses() {
		this.registration.withUserConfiguration(OwnEtcdRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(EtcdServiceRegistry.class).hasBean("ownRegistry");
			assertThat(ReflectionTestUtils.getField(context.getBean(EtcdAutoRegistration.class), "registry"))
				.isSameAs(context.getBean("ownRegistry"));
		});
	}

	@Test
	void anotherRegistryOfTheApplicationRegistersBesideEtcd() {
		this.registration.withUserConfiguration(OtherRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(EtcdServiceRegistry.class).hasSingleBean(EtcdAutoRegistration.class);
			assertThat(context).hasBean("consulLikeRegistry");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@LoadBalancerClient(name = "a", configuration = FixedInstances.class)
	static class OwnSupplierForA {

	}

	static class FixedInstances {

		@Bean
		ServiceInstanceListSupplier fixedInstances() {
			return new ServiceInstanceListSupplier() {

				@Override
				public String getServiceId() {
					return "a";
				}

				@Override
				public Flux<List<ServiceInstance>> get() {
					return Flux.just(List.of(new DefaultServiceInstance("a-1", "a", "127.0.0.1", 7777, false)));
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClientFactory {

		@Bean
		LoadBalancerClientFactory ownClientFactory(LoadBalancerClientsProperties properties,
				ObjectProvider<List<LoadBalancerClientSpecification>> configurations) {
			LoadBalancerClientFactory factory = new LoadBalancerClientFactory(properties);
			factory.setConfigurations(configurations.getIfAvailable(List::of));
			return factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnLoadBalancerClient {

		@Bean
		BlockingLoadBalancerClient ownLoadBalancerClient(LoadBalancerClientFactory factory) {
			return new BlockingLoadBalancerClient(factory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@LoadBalancerClient(name = "a", configuration = OwnLifecycle.class)
	static class OwnLifecycleForA {

	}

	static class OwnLifecycle {

		@Bean
		CallOutcomeLifecycle ownLifecycle() {
			return new CallOutcomeLifecycle(null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnDiscoveryBeans {

		@Bean
		DirectDiscoverySource ownDirect(ServiceCatalog catalog) {
			return new DirectDiscoverySource(catalog);
		}

		@Bean
		CatalogHeartbeatPublisher ownHeartbeat(ServiceCatalog catalog, ApplicationEventPublisher publisher) {
			return new CatalogHeartbeatPublisher(catalog, publisher);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEtcdRegistry {

		@Bean(destroyMethod = "close")
		EtcdServiceRegistry ownRegistry(EtcdConnections connections) {
			return new EtcdServiceRegistry(connections, EtcdCluster.of(List.of("127.0.0.1:2379")), false);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherRegistry {

		@Bean
		ServiceRegistry<Registration> consulLikeRegistry() {
			return new ServiceRegistry<>() {

				@Override
				public void register(Registration registration) {
				}

				@Override
				public void deregister(Registration registration) {
				}

				@Override
				public void close() {
				}

				@Override
				public void setStatus(Registration registration, String status) {
				}

				@Override
				public <T> T getStatus(Registration registration) {
					return null;
				}

			};
		}

	}

}

package io.github.rpcdiscovery.autoconfigure;

import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.kubernetes.KubernetesDiscoveryHealthIndicator;
import io.github.rpcdiscovery.kubernetes.KubernetesDiscoverySource;
import io.github.rpcdiscovery.kubernetes.KubernetesServiceRegistry;
import io.github.rpcdiscovery.kubernetes.KubernetesStartupCheck;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.cloud.client.discovery.health.DiscoveryHealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.core.env.MapPropertySource;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;

/** Which Kubernetes beans exist with each configuration: the auto-configuration matrix. */
class KubernetesDiscoveryAutoConfigurationTests {

	static MockKubernetes cluster;

	ApplicationContextRunner runner;

	@BeforeAll
	static void startCluster() {
		cluster = MockKubernetes.start();
		cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	KubernetesDiscoveryAutoConfigurationTests() {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KubernetesDiscoveryAutoConfiguration.class,
					RpcDiscoveryAutoConfiguration.class, RpcDiscoveryClientAutoConfiguration.class))
			// never let a test reach for ~/.kube/config or kubernetes.default.svc
			.withPropertyValues("rpc.kubernetes.master-url=" + cluster.url(), "rpc.kubernetes.token=app-token");
	}

	@Test
	void withoutAKubernetesTargetNothingIsCreated() {
		this.runner.withPropertyValues("rpc.name=a", "rpc.endpoints=127.0.0.1:8081")
			.run(KubernetesDiscoveryAutoConfigurationTests::hasNoKubernetesBeans);
	}

	@Test
	void aTopLevelTargetTurnsKubernetesModeOn() {
		this.runner.withPropertyValues("rpc.target=k8s://shop/cart:8080").run((context) -> {
			assertThat(context).hasSingleBean(KubernetesClient.class)
				.hasSingleBean(KubernetesDiscoverySource.class)
				.hasSingleBean(KubernetesStartupCheck.class)
				.hasSingleBean(KubernetesServiceRegistry.class)
				.hasSingleBean(KubernetesDiscoveryHealthIndicator.class);
			assertThat(context.getBean(DiscoveryPlan.class).kubernetesNamespace()).isEqualTo("shop");
			assertThat(context.getBean(RpcDiscoveryClient.class).getInstances("cart")).extracting("instanceId")
				.containsExactly("cart-1");
			assertThat(context.getBean(KubernetesClient.class).getConfiguration().getMasterUrl())
				.startsWith(cluster.url());
		});
	}

	@Test
	void aClientBlockTargetTurnsItOnWithoutMakingOtherIdsKubernetesServices() {
		this.runner.withPropertyValues("rpc.clients[0].name=basket", "rpc.clients[0].target=k8s://shop/cart:8080")
			.run((context) -> {
				assertThat(context).hasSingleBean(KubernetesDiscoverySource.class);
				assertThat(context.getBean(RpcDiscoveryClient.class).getInstances("basket")).hasSize(1);
				assertThat(context.getBean(DiscoveryPlan.class).upstreamFor("cart")).isEmpty();
			});
	}

	@Test
	void goZeroYamlKeysTurnItOnToo() {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("go-zero", Map.of("Rpc.Target", "k8s://shop/cart:8080"))))
			.run((context) -> assertThat(context).hasSingleBean(KubernetesDiscoverySource.class));
	}

	@Test
	void theNamespacePropertyResolvesAnyOtherServiceIdThere() {
		this.runner.withPropertyValues("rpc.kubernetes.namespace=shop").run((context) -> {
			DiscoveryPlan plan = context.getBean(DiscoveryPlan.class);
			assertThat(plan.upstreamFor("cart").get().target()).isEqualTo(new KubernetesTarget("shop", "cart", null));
			assertThat(context.getBean(RpcDiscoveryClient.class).getInstances("cart")).extracting("uri")
				.extracting(Object::toString)
				.containsExactly("http://127.0.0.1:8080");
		});
	}

	@Test
	void theNamespacePropertyWinsOverTheTopLevelTargetsNamespaceForOtherIds() {
		this.runner.withPropertyValues("rpc.target=k8s://other/cart:8080", "rpc.kubernetes.namespace=shop")
			.run((context) -> {
				DiscoveryPlan plan = context.getBean(DiscoveryPlan.class);
				assertThat(plan.upstreamFor("cart").get().target())
					.isEqualTo(new KubernetesTarget("other", "cart", 8080));
				assertThat(plan.upstreamFor("stock").get().target())
					.isEqualTo(new KubernetesTarget("shop", "stock", null));
			});
	}

	@Test
	void enabledTrueWithoutTargetsGivesTheClientAndTheRegistry() {
		this.runner.withPropertyValues("rpc.kubernetes.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(KubernetesClient.class).hasSingleBean(KubernetesServiceRegistry.class);
			assertThat(context.getBean(DiscoveryPlan.class).uses("kubernetes")).isFalse();
		});
	}

	@Test
	void enabledFalseTurnsItOffWhateverTheTargets() {
		this.runner.withPropertyValues("rpc.kubernetes.enabled=false", "rpc.target=k8s://shop/cart:8080")
			.run(KubernetesDiscoveryAutoConfigurationTests::hasNoKubernetesBeans);
	}

	@Test
	void rpcDiscoveryDisabledTurnsItOff() {
		this.runner.withPropertyValues("rpc.discovery.enabled=false", "rpc.target=k8s://shop/cart:8080")
			.run(KubernetesDiscoveryAutoConfigurationTests::hasNoKubernetesBeans);
	}

	@Test
	void withoutFabric8OnTheClasspathNothingIsCreated() {
		this.runner.withClassLoader(new FilteredClassLoader(KubernetesClient.class))
			.withPropertyValues("rpc.target=k8s://shop/cart:8080")
			.run(KubernetesDiscoveryAutoConfigurationTests::hasNoKubernetesBeans);
	}

	@Test
	void theApplicationsOwnClientIsUsed() {
		KubernetesClient own = new KubernetesClientBuilder().withConfig(cluster.clientConfig("own-token")).build();
		try {
			this.runner.withBean("ownClient", KubernetesClient.class, () -> own, (bd) -> bd.setDestroyMethodName(""))
				.withPropertyValues("rpc.target=k8s://shop/cart:8080")
				.run((context) -> {
					assertThat(context).hasSingleBean(KubernetesClient.class);
					assertThat(context.getBean(KubernetesClient.class)).isSameAs(own);
					assertThat(context.getBean(RpcDiscoveryClient.class).getInstances("cart")).hasSize(1);
				});
		}
		finally {
			own.close();
		}
	}

	@Test
	void etcdHostsLeaveRegistrationToEtcd() {
		this.runner.withPropertyValues("rpc.target=k8s://shop/cart:8080", "rpc.etcd.hosts=127.0.0.1:2379")
			.run((context) -> assertThat(context).hasSingleBean(KubernetesDiscoverySource.class)
				.doesNotHaveBean(KubernetesServiceRegistry.class));
	}

	@Test
	@SuppressWarnings("unchecked")
	void anotherServiceRegistryWins() {
		ServiceRegistry<Registration> other = Mockito.mock(ServiceRegistry.class);
		this.runner.withBean("otherRegistry", ServiceRegistry.class, () -> other)
			.withPropertyValues("rpc.target=k8s://shop/cart:8080")
			.run((context) -> assertThat(context).doesNotHaveBean(KubernetesServiceRegistry.class));
	}

	@Test
	void theRegistryRegistersNothingAndSaysWhy() {
		this.runner.withPropertyValues("rpc.target=k8s://shop/cart:8080").run((context) -> {
			KubernetesServiceRegistry registry = context.getBean(KubernetesServiceRegistry.class);
			Registration registration = Mockito.mock(Registration.class);
			registry.register(registration);
			assertThat((String) registry.getStatus(registration)).isEqualTo(KubernetesServiceRegistry.STATUS);
			Mockito.verifyNoInteractions(registration);
		});
	}

	@Test
	void theHealthIndicatorCanBeTurnedOff() {
		this.runner
			.withPropertyValues("rpc.target=k8s://shop/cart:8080", "management.health.kubernetesDiscovery.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(KubernetesDiscoverySource.class)
				.doesNotHaveBean(KubernetesDiscoveryHealthIndicator.class));
	}

	@Test
	void theHealthIndicatorShowsTheWatchedServices() {
		this.runner.withPropertyValues("rpc.target=k8s://shop/cart:8080").run((context) -> {
			Health health = context.getBean(KubernetesDiscoveryHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("apiServer", cluster.url() + "/");
			assertThat(health.getDetails().get("services")).asString()
				.startsWith("{shop/cart={serviceIds=[cart], state=watching, slices=1, connection=CONNECTED, since=")
				.endsWith(", stalenessMillis=0}}");
			assertThat(health.getDetails()).containsEntry("servingFrozenView", false);
			assertThat(context.getBean(DiscoveryHealthIndicator.class).getName()).isEqualTo("kubernetes");
		});
	}

	@Test
	void anInvalidNamespacePropertyFailsStartupNamingIt() {
		this.runner.withPropertyValues("rpc.kubernetes.namespace=Shop_1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidRpcPropertyException.class)
				.hasMessageContaining("rpc.kubernetes.namespace = 'Shop_1'"));
	}

	@Test
	void anInvalidPortNameFailsStartupNamingIt() {
		this.runner.withPropertyValues("rpc.target=k8s://shop/cart", "rpc.kubernetes.port-name=Http_Port")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("rpc.kubernetes.port-name = 'Http_Port'"));
	}

	@Test
	void kubernetesDiscoveryQuietsFabric8RetriesUnlessTheUserSaysOtherwise() {
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		String reflector = "io.fabric8.kubernetes.client.informers.impl.cache.Reflector";
		String webSocket = "io.fabric8.kubernetes.client.jdkhttp.JdkWebSocketImpl";
		try {
			logging.setLogLevel(webSocket, LogLevel.DEBUG);
			this.runner.withPropertyValues("rpc.target=k8s://shop/cart:8080", "logging.level." + webSocket + "=DEBUG")
				.run((context) -> {
					assertThat(context).hasSingleBean(KubernetesDiscoverySource.class);
					assertThat(logging.getLoggerConfiguration(reflector).getEffectiveLevel()).isEqualTo(LogLevel.ERROR);
					assertThat(logging.getLoggerConfiguration(webSocket).getEffectiveLevel()).isEqualTo(LogLevel.DEBUG);
				});
		}
		finally {
			logging.setLogLevel(reflector, null);
			logging.setLogLevel(webSocket, null);
		}
	}

	private static void hasNoKubernetesBeans(AssertableApplicationContext context) {
		assertThat(context).doesNotHaveBean(KubernetesClient.class)
			.doesNotHaveBean(KubernetesDiscoverySource.class)
			.doesNotHaveBean(KubernetesServiceRegistry.class)
			.doesNotHaveBean(KubernetesStartupCheck.class);
	}

}

package io.github.rpcdiscovery.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.actuate.RpcEndpoint;
import io.github.rpcdiscovery.balancer.BalancingPolicy;
import io.github.rpcdiscovery.balancer.NodeState;
import io.github.rpcdiscovery.balancer.Outcome;
import io.github.rpcdiscovery.loadbalancer.CatalogServiceInstanceListSupplier;
import io.github.rpcdiscovery.loadbalancer.ConnectFailureRetryPolicy;
import io.github.rpcdiscovery.loadbalancer.IdempotentRetryPolicy;
import io.github.rpcdiscovery.loadbalancer.RpcServiceInstanceLoadBalancer;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancer;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.LoadBalancedRetryFactory;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerRetryPolicy;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.blocking.retry.BlockingLoadBalancedRetryFactory;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.RandomLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/** Which balancer each service gets, the retry policies and the actuator endpoint: the load-balancing matrix. */
class RpcLoadBalancingAutoConfigurationTests {

	/** Without any blocking discovery client (as with spring.cloud.discovery.blocking.enabled=false). */
	private final ApplicationContextRunner withoutDiscoveryClient = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RpcDiscoveryAutoConfiguration.class,
				RpcLoadBalancerAutoConfiguration.class, RpcBalancerAutoConfiguration.class,
				RpcLoadBalancerRetryAutoConfiguration.class, RpcEndpointAutoConfiguration.class,
				UtilAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
				BlockingLoadBalancerClientAutoConfiguration.class,
				org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class,
				ReactorLoadBalancerClientAutoConfiguration.class))
		.withPropertyValues("rpc.clients[0].name=a", "rpc.clients[0].endpoints=127.0.0.1:8081,127.0.0.2:8082",
				"rpc.clients[1].name=b", "rpc.clients[1].endpoints=127.0.0.1:9091,127.0.0.2:9092");

	private final ApplicationContextRunner runner = this.withoutDiscoveryClient.withConfiguration(AutoConfigurations
		.of(SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class));

	@Test
	void servicesThisStarterResolvesGetP2cByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ServiceBalancers.class);
			assertThat(policyOf(context, "a")).isEqualTo(BalancingPolicy.P2C);
			assertThat(policyOf(context, "b")).isEqualTo(BalancingPolicy.P2C);
		});
	}

	@Test
	void rpcLoadBalancerSwitchesEveryServiceAndAClientBlockSwitchesItsOwn() {
		this.runner.withPropertyValues("rpc.load-balancer=round-robin", "rpc.clients[1].load-balancer=random")
			.run((context) -> {
				assertThat(policyOf(context, "a")).isEqualTo(BalancingPolicy.ROUND_ROBIN);
				assertThat(policyOf(context, "b")).isEqualTo(BalancingPolicy.RANDOM);
			});
	}

	@Test
	void goZeroCapitalisedKeysBindToo() {
		this.runner.withPropertyValues("Rpc.LoadBalancer=random").run((context) -> {
			assertThat(policyOf(context, "a")).isEqualTo(BalancingPolicy.RANDOM);
		});
	}

	@Test
	void roundRobinTakesTurnsAndP2cAvoidsTheSlowInstance() {
		this.runner.withPropertyValues("rpc.clients[0].load-balancer=round-robin").run((context) -> {
			List<String> turns = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				turns.add(choose(context, "a").getServer().getHost());
			}
			assertThat(turns.get(0)).isNotEqualTo(turns.get(1));
			assertThat(turns.subList(2, 4)).isEqualTo(turns.subList(0, 2));
		});
		this.runner.run((context) -> {
			ServiceBalancer balancer = context.getBean(ServiceBalancers.class).forService("b");
			ServiceInstance first = choose(context, "b").getServer();
			ServiceInstance slow = first.getHost().equals("127.0.0.1") ? first : choose(context, "b").getServer();
			Object call = new Object();
			balancer.callStarted(call, slow);
			balancer.callEnded(call, Outcome.SUCCESS); // fast enough, but the other one has never answered...
			Object slowCall = new Object();
			balancer.callStarted(slowCall, slow);
			for (int i = 0; i < 10; i++) {
				assertThat(choose(context, "b").getServer().getHost()).as("a call in flight raises its load")
					.isNotEqualTo(slow.getHost());
			}
		});
	}

	@Test
	void aServiceThisStarterDoesNotResolveKeepsSpringCloudsRoundRobin() {
		this.runner.run((context) -> {
			assertThat(balancerOf(context, "elsewhere")).isInstanceOf(RoundRobinLoadBalancer.class);
			assertThat(context.getBean(ServiceBalancers.class).state("elsewhere")).isEmpty();
		});
	}

	@Test
	void anApplicationsOwnBalancerForAServiceWins() {
		this.runner.withUserConfiguration(OwnBalancerForA.class).run((context) -> {
			assertThat(balancerOf(context, "a")).isInstanceOf(RandomLoadBalancer.class);
			assertThat(balancerOf(context, "b")).isInstanceOf(RpcServiceInstanceLoadBalancer.class);
		});
	}

	@Test
	void withoutDiscoveryThereIsNoBalancer() {
		this.runner.withPropertyValues("rpc.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceBalancers.class)
				.doesNotHaveBean(RpcEndpoint.class));
	}

	@Test
	void retryOnAnotherInstanceAfterARefusedConnectionWhateverTheMethod() {
		this.runner.withPropertyValues("spring.cloud.loadbalancer.retry.enabled=true").run((context) -> {
			assertThat(context.getBean(LoadBalancedRetryFactory.class).createRetryPolicy("a", null))
				.isInstanceOf(ConnectFailureRetryPolicy.class);
			assertThat(context.getBean(LoadBalancerRetryPolicy.Factory.class).apply("a"))
				.isInstanceOf(IdempotentRetryPolicy.class);
		});
	}

	@Test
	void withoutSpringRetryBlockingCallsAreNotRetried() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.retry"))
			.run((context) -> assertThat(context).doesNotHaveBean(LoadBalancedRetryFactory.class));
	}

	@Test
	void retryOffLeavesSpringCloudAlone() {
		this.runner.withPropertyValues("spring.cloud.loadbalancer.retry.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LoadBalancerRetryPolicy.Factory.class);
			assertThat(context).getBean(LoadBalancedRetryFactory.class).isInstanceOf(BlockingLoadBalancedRetryFactory.class);
		});
	}

	@Test
	void loadBalancerOffStartsWithoutRetryOrBalancer() {
		this.runner.withPropertyValues("spring.cloud.loadbalancer.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(LoadBalancerRetryPolicy.Factory.class);
		});
	}

	@Test
	void retryAwarenessWrapsOurInstanceList() {
		this.runner.withPropertyValues("spring.cloud.loadbalancer.retry.enabled=true").run((context) -> {
			ServiceInstanceListSupplier supplier = context.getBean(LoadBalancerClientFactory.class)
				.getInstance("a", ServiceInstanceListSupplier.class);
			// Spring Cloud's own wrapper, once: this starter does not add a second one
			assertThat(supplier.getClass().getSimpleName()).isEqualTo("RetryAwareServiceInstanceListSupplier");
			assertThat(((DelegatingServiceInstanceListSupplier) supplier).getDelegate())
				.isInstanceOf(CatalogServiceInstanceListSupplier.class);
		});
	}

	@Test
	void retryAwarenessWrapsOurInstanceListWithoutABlockingDiscoveryClientToo() {
		this.withoutDiscoveryClient.withPropertyValues("spring.cloud.loadbalancer.retry.enabled=true")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DiscoveryClient.class);
				ServiceInstanceListSupplier supplier = context.getBean(LoadBalancerClientFactory.class)
					.getInstance("a", ServiceInstanceListSupplier.class);
				assertThat(supplier.getClass().getSimpleName()).isEqualTo("RetryAwareServiceInstanceListSupplier");
				assertThat(context.getBean(LoadBalancerClientFactory.class)
					.getInstances("a", ServiceInstanceListSupplier.class)).hasSize(1);
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void theRpcEndpointShowsEachInstanceWithItsBalancerStateOnceExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=rpc").run((context) -> {
			choose(context, "a");
			RpcEndpoint endpoint = context.getBean(RpcEndpoint.class);
			Map<String, Object> services = (Map<String, Object>) endpoint.rpc().get("services");
			assertThat(services).containsOnlyKeys("a", "b");
			Map<String, Object> a = endpoint.service("a");
			assertThat(a).containsEntry("source", "direct").containsEntry("target", "direct://127.0.0.1:8081,127.0.0.2:8082");
			assertThat((Map<String, Object>) a.get("loadBalancer")).containsEntry("policy", "p2c");
			List<Map<String, Object>> instances = (List<Map<String, Object>>) a.get("instances");
			assertThat(instances).extracting((i) -> i.get("address")).containsExactly("127.0.0.1:8081", "127.0.0.2:8082");
			assertThat(instances).allSatisfy((i) -> assertThat(i.get("balancer")).isInstanceOf(NodeState.class));
			// b was never called: instances, no balancer state
			assertThat(endpoint.service("b").get("loadBalancer")).isNull();
			assertThat(endpoint.service("unknown")).isNull();
		});
	}

	@Test
	void theEndpointCanBeSwitchedOff() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=rpc",
					"management.endpoint.rpc.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(RpcEndpoint.class)
				.hasSingleBean(ServiceBalancers.class));
	}

	@Test
	void withoutActuatorThereIsNoEndpoint() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=rpc")
			.run((context) -> assertThat(context).doesNotHaveBean(RpcEndpoint.class)
				.hasSingleBean(ServiceBalancers.class));
	}

	private static ReactiveLoadBalancer<ServiceInstance> balancerOf(AssertableApplicationContext context,
			String serviceId) {
		return context.getBean(LoadBalancerClientFactory.class).getInstance(serviceId);
	}

	private static BalancingPolicy policyOf(AssertableApplicationContext context, String serviceId) {
		ReactiveLoadBalancer<ServiceInstance> balancer = balancerOf(context, serviceId);
		assertThat(balancer).isInstanceOf(RpcServiceInstanceLoadBalancer.class);
		return ((RpcServiceInstanceLoadBalancer) balancer).balancer().policy();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Response<ServiceInstance> choose(AssertableApplicationContext context, String serviceId) {
		return (Response<ServiceInstance>) reactor.core.publisher.Mono
			.from(balancerOf(context, serviceId).choose(new DefaultRequest<>()))
			.block(Duration.ofSeconds(5));
	}

	@Configuration(proxyBeanMethods = false)
	@LoadBalancerClient(name = "a", configuration = RandomForA.class)
	static class OwnBalancerForA {

	}

	static class RandomForA {

		@Bean
		ReactorLoadBalancer<ServiceInstance> randomLoadBalancer(Environment environment,
				LoadBalancerClientFactory factory) {
			String name = LoadBalancerClientFactory.getName(environment);
			return new RandomLoadBalancer(factory.getLazyProvider(name, ServiceInstanceListSupplier.class), name);
		}

	}

}

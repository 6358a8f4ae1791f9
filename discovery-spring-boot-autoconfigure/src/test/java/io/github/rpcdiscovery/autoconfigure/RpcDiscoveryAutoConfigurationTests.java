package io.github.rpcdiscovery.autoconfigure;

import java.time.Duration;

import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.cloud.RpcReactiveDiscoveryClient;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.health.DiscoveryClientHealthIndicator;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which beans exist in each mode and with each switch: the auto-configuration matrix. */
class RpcDiscoveryAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RpcDiscoveryAutoConfiguration.class,
				RpcDiscoveryClientAutoConfiguration.class, RpcReactiveDiscoveryClientAutoConfiguration.class,
				RpcLoadBalancerAutoConfiguration.class, UtilAutoConfiguration.class,
				SimpleDiscoveryClientAutoConfiguration.class, SimpleReactiveDiscoveryClientAutoConfiguration.class,
				CompositeDiscoveryClientAutoConfiguration.class, ReactiveCompositeDiscoveryClientAutoConfiguration.class,
				CommonsClientAutoConfiguration.class, ReactiveCommonsClientAutoConfiguration.class,
				LoadBalancerAutoConfiguration.class));

	@Test
	void withAnRpcSettingButNoServiceDiscoveryIsReadyButEmpty() {
		this.runner.withPropertyValues("rpc.load-balancer=p2c").run((context) -> {
			assertThat(context).hasSingleBean(ServiceDiscovery.class)
				.hasSingleBean(RpcDiscoveryClient.class)
				.hasSingleBean(RpcReactiveDiscoveryClient.class);
			assertThat(context.getBean(DiscoveryPlan.class).configured()).isEmpty();
		});
	}

	@Test
	void directModeServesTheStaticListThroughTheCompositeClient() {
		this.runner
			.withPropertyValues("rpc.clients[0].name=user.rpc", "rpc.clients[0].endpoints=127.0.0.1:8081,127.0.0.2:8082")
			.run((context) -> {
				DiscoveryClient client = context.getBean(DiscoveryClient.class);
				assertThat(client).isInstanceOf(CompositeDiscoveryClient.class);
				assertThat(client.getInstances("user.rpc")).extracting("instanceId")
					.containsExactly("127.0.0.1:8081", "127.0.0.2:8082");
				assertThat(client.getServices()).contains("user.rpc");
				assertThat(((CompositeDiscoveryClient) client).getDiscoveryClients().get(0))
					.isInstanceOf(RpcDiscoveryClient.class);
			});
	}

	@Test
	void reactiveClientServesTheSameList() {
		this.runner.withPropertyValues("rpc.name=user.rpc", "rpc.endpoints=127.0.0.1:8081").run((context) -> {
			RpcReactiveDiscoveryClient reactive = context.getBean(RpcReactiveDiscoveryClient.class);
			assertThat(reactive.getInstances("user.rpc").collectList().block(Duration.ofSeconds(5))).hasSize(1);
			assertThat(reactive.getInstances("unknown").collectList().block(Duration.ofSeconds(5))).isEmpty();
			assertThat(reactive.getServices().collectList().block(Duration.ofSeconds(5))).containsExactly("user.rpc");
		});
	}

	@Test
	void theLoadBalancerUsesOurConfigurationForEveryClient() {
		this.runner.withPropertyValues("rpc.load-balancer=p2c").run((context) -> assertThat(context.getBeansOfType(LoadBalancerClientSpecification.class).values())
			.anySatisfy((spec) -> assertThat(spec.getConfiguration())
				.contains(io.github.rpcdiscovery.loadbalancer.RpcLoadBalancerClientConfiguration.class)));
	}

	@Test
	void springCloudDiscoveryDisabledTurnsEverythingOff() {
		this.runner.withPropertyValues("spring.cloud.discovery.enabled=false", "rpc.name=a", "rpc.endpoints=127.0.0.1:1")
			.run(RpcDiscoveryAutoConfigurationTests::hasNoRpcDiscovery);
	}

	@Test
	void rpcDiscoveryDisabledTurnsEverythingOff() {
		this.runner.withPropertyValues("rpc.discovery.enabled=false").run(RpcDiscoveryAutoConfigurationTests::hasNoRpcDiscovery);
	}

	@Test
	void blockingDiscoveryDisabledKeepsOnlyTheReactiveClient() {
		this.runner.withPropertyValues("rpc.load-balancer=p2c", "spring.cloud.discovery.blocking.enabled=false").run((context) -> assertThat(context)
			.doesNotHaveBean(RpcDiscoveryClient.class)
			.hasSingleBean(RpcReactiveDiscoveryClient.class));
	}

	@Test
	void reactiveDiscoveryDisabledKeepsOnlyTheBlockingClient() {
		this.runner.withPropertyValues("rpc.load-balancer=p2c", "spring.cloud.discovery.reactive.enabled=false").run((context) -> assertThat(context)
			.hasSingleBean(RpcDiscoveryClient.class)
			.doesNotHaveBean(RpcReactiveDiscoveryClient.class));
	}

	@Test
	void invalidConfigurationFailsStartup() {
		this.runner.withPropertyValues("rpc.name=a", "rpc.endpoints=127.0.0.1").run((context) -> assertThat(context)
			.hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("rpc.endpoints[0]"));
	}

	@Test
	void theHealthIndicatorInitialisesWithoutAnyRegistration() {
		this.runner.withPropertyValues("rpc.name=user.rpc", "rpc.endpoints=127.0.0.1:8081").run((context) -> {
			DiscoveryClientHealthIndicator health = context.getBean(DiscoveryClientHealthIndicator.class);
			assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);
			context.publishEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0],
					context.getSourceApplicationContext(), Duration.ZERO));
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			assertThat(health.health().getDetails()).containsKey("services");
		});
	}

	private static void hasNoRpcDiscovery(AssertableApplicationContext context) {
		assertThat(context).doesNotHaveBean(ServiceDiscovery.class)
			.doesNotHaveBean(ServiceCatalog.class)
			.doesNotHaveBean(RpcDiscoveryClient.class)
			.doesNotHaveBean(RpcReactiveDiscoveryClient.class);
	}

}

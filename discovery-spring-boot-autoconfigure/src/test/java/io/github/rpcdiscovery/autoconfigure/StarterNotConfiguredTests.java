package io.github.rpcdiscovery.autoconfigure;

import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.shutdown.DrainCoordinator;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter on the classpath of an application that does not configure it defines nothing (issue 14: it costs that
 * application only the condition checks), and any one way of configuring it turns it on.
 */
class StarterNotConfiguredTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(EtcdAutoConfiguration.class, RpcDiscoveryAutoConfiguration.class, RpcDiscoveryClientAutoConfiguration.class,
				RpcReactiveDiscoveryClientAutoConfiguration.class, RpcBalancerAutoConfiguration.class,
				RpcLoadBalancerAutoConfiguration.class, ShutdownAutoConfiguration.class, UtilAutoConfiguration.class,
				SimpleDiscoveryClientAutoConfiguration.class));

	@Test
	void withoutAnyConfigurationNoBeanOfTheStarterExistsAndSpringCloudsOwnDiscoveryIsUntouched() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(beansOfTheStarter(context)).isEmpty();
			assertThat(context).hasSingleBean(SimpleDiscoveryClient.class);
		});
	}

	@Test
	void anyRpcPropertyTurnsItOn() {
		this.runner.withPropertyValues("rpc.load-balancer=p2c").run(StarterNotConfiguredTests::isOn);
	}

	@Test
	void goZerosCapitalisedBlockTurnsItOn() {
		this.runner.withPropertyValues("Rpc.Name=user.rpc", "Rpc.Endpoints[0]=127.0.0.1:8081")
			.run(StarterNotConfiguredTests::isOn);
	}

	@Test
	void anEnvironmentVariableTurnsItOn() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						Map.of("RPC_LISTENON", "127.0.0.1"))))
			.run(StarterNotConfiguredTests::isOn);
	}

	@Test
	void anEtcdConnectionDetailsBeanTurnsItOn() {
		this.runner.withUserConfiguration(ConnectionDetailsOnly.class).run(StarterNotConfiguredTests::isOn);
	}

	@Test
	void anApplicationsOwnDiscoveryPlanTurnsItOn() {
		this.runner.withUserConfiguration(PlanOnly.class).run(StarterNotConfiguredTests::isOn);
	}

	@Test
	void aSpringGrpcChannelWithADiscoverySchemeTurnsItOnAndOtherSchemesDoNot() {
		this.runner.withPropertyValues("spring.grpc.client.channels.users.address=discovery:///user.rpc")
			.run(StarterNotConfiguredTests::isOn);
		this.runner.withPropertyValues("spring.grpc.client.default-channel.address=etcd:///127.0.0.1:2379?key=a.rpc")
			.run(StarterNotConfiguredTests::isOn);
		this.runner.withPropertyValues("spring.grpc.client.channels.users.address=static://127.0.0.1:9090")
			.run((context) -> assertThat(beansOfTheStarter(context)).isEmpty());
	}

	private static void isOn(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed()
			.hasSingleBean(ServiceDiscovery.class)
			.hasSingleBean(RpcDiscoveryClient.class)
			.hasSingleBean(DrainCoordinator.class);
	}

	private static List<String> beansOfTheStarter(AssertableApplicationContext context) {
		return java.util.Arrays.stream(context.getBeanDefinitionNames()).filter((name) -> {
			Class<?> type = context.getType(name);
			return name.startsWith("rpc") || (type != null && type.getName().startsWith("io.github.rpcdiscovery."));
		}).toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionDetailsOnly {

		@Bean
		EtcdConnectionDetails etcdConnectionDetails() {
			return () -> List.of("127.0.0.1:2379");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlanOnly {

		@Bean
		DiscoveryPlan plan() {
			return new DiscoveryPlan(List.of(), null, null);
		}

	}

}

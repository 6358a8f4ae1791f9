package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.etcd.registration.EtcdServiceRegistry;
import io.github.rpcdiscovery.grpc.server.GrpcServerRegistration;
import io.github.rpcdiscovery.kubernetes.KubernetesDiscoverySource;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code rpc:} block is resolved into one {@link DiscoveryPlan} bean that every auto-configuration reads: its
 * warnings are logged once, and an application's own plan replaces it everywhere. Nothing here connects to etcd:
 * registering happens when the application is ready, which a context runner never is.
 */
@ExtendWith(OutputCaptureExtension.class)
class DiscoveryPlanBeanTests {

	private static final String PRECEDENCE_WARNING = "rpc.clients[0] sets endpoints, etcd, of which";

	static MockKubernetes kubernetes;

	@BeforeAll
	static void startKubernetes() {
		kubernetes = MockKubernetes.start();
	}

	@AfterAll
	static void stopKubernetes() {
		kubernetes.close();
	}

	/** Every auto-configuration that reads the plan: discovery, etcd registration, gRPC registration, Kubernetes, health. */
	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, RpcDiscoveryAutoConfiguration.class,
					EtcdDiscoveryAutoConfiguration.class, EtcdRegistrationAutoConfiguration.class,
					ShutdownAutoConfiguration.class, GrpcServerRegistrationAutoConfiguration.class,
					KubernetesDiscoveryAutoConfiguration.class,
					RpcHealthAutoConfiguration.class))
			// port 1 on loopback: nothing listens there, and nothing here calls it
			.withPropertyValues("rpc.etcd.hosts=127.0.0.1:1", "rpc.grpc.registration.key=hello.rpc",
					"rpc.kubernetes.namespace=shop", "rpc.kubernetes.master-url=" + kubernetes.url(),
					"rpc.kubernetes.token=app-token", "spring.application.name=user.rpc");
	}

	@Test
	void aClientBlockWithSeveralSourcesIsWarnedAboutOnce(CapturedOutput output) {
		runner().withPropertyValues("rpc.clients[0].name=a", "rpc.clients[0].endpoints=127.0.0.1:8081",
				"rpc.clients[0].etcd.key=a.rpc")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(DiscoveryPlan.class)
					.hasSingleBean(EtcdServiceRegistry.class)
					.hasSingleBean(GrpcServerRegistration.class)
					.hasSingleBean(KubernetesDiscoverySource.class)
					.hasBean("etcdDiscoveryHealthIndicator");
				assertThat(context.getBean(DiscoveryPlan.class).kubernetesNamespace()).isEqualTo("shop");
			});
		assertThat(output).containsOnlyOnce(PRECEDENCE_WARNING);
	}

	@Test
	void anApplicationsOwnPlanIsTheOneEveryAutoConfigurationUses() {
		runner().withUserConfiguration(OwnPlan.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(DiscoveryPlan.class);
			DiscoveryPlan own = context.getBean(DiscoveryPlan.class);
			assertThat(own).isSameAs(OwnPlan.PLAN);
			assertThat(context.getBean(ServiceDiscovery.class).plan()).isSameAs(own);
			assertThat(context.getBean(EtcdServiceRegistry.class).cluster()).isSameAs(OwnPlan.CLUSTER);
			EtcdServiceRegistry grpcRegistry = (EtcdServiceRegistry) ReflectionTestUtils
				.getField(context.getBean(GrpcServerRegistration.class), "registry");
			assertThat(grpcRegistry.cluster()).isSameAs(OwnPlan.CLUSTER);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPlan {

		static final EtcdCluster CLUSTER = new EtcdCluster(List.of("127.0.0.2:1"), null, null, null, null, null,
				false);

		static final DiscoveryPlan PLAN = new DiscoveryPlan(List.of(), CLUSTER, "own-namespace");

		@Bean
		DiscoveryPlan ownPlan() {
			return PLAN;
		}

	}

}

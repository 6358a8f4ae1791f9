package io.github.rpcdiscovery.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.rpcdiscovery.shutdown.DrainBeforeServerShutdown;
import io.github.rpcdiscovery.shutdown.DrainCoordinator;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigureAfter;
import org.springframework.boot.autoconfigure.AutoConfigureBefore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.MergedAnnotations;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In Kubernetes the platform withdraws a terminating pod, so the drain starts when the context closes. Its listener
 * is conditional on Kubernetes discovery's registry bean, so it must be configured after it.
 */
class KubernetesDrainTests {

	static MockKubernetes cluster;

	@BeforeAll
	static void startCluster() {
		cluster = MockKubernetes.start();
		cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test
	void inKubernetesModeClosingTheContextDrainsBeforeTheServersStop() {
		Duration drain = Duration.ofMillis(300);
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ShutdownAutoConfiguration.class,
					KubernetesDiscoveryAutoConfiguration.class, RpcDiscoveryAutoConfiguration.class,
					RpcDiscoveryClientAutoConfiguration.class))
			.withPropertyValues("rpc.kubernetes.master-url=" + cluster.url(), "rpc.kubernetes.token=app-token",
					"rpc.target=k8s://shop/cart:8080", "rpc.shutdown.drain=" + drain.toMillis() + "ms")
			.run((context) -> {
				assertThat(context).hasBean("rpcKubernetesWithdrawal").hasSingleBean(DrainBeforeServerShutdown.class);
				DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
				assertThat(coordinator.isDraining()).isFalse();
				long closing = System.nanoTime();
				context.close();
				Duration closed = Duration.ofNanos(System.nanoTime() - closing);
				assertThat(coordinator.isDraining()).as("withdrawn when the context closed").isTrue();
				// the lifecycle stop waited for the drain and reported it (the report is claimed once)
				assertThat(coordinator.claimReport()).as("drain already reported").isFalse();
				assertThat(closed).isGreaterThanOrEqualTo(drain);
			});
	}

	@Test
	void theDrainIsConfiguredAfterKubernetesDiscoveryByDeclarationNotByTheNamesAlphabeticalOrder() {
		List<Class<?>> after = List.of(MergedAnnotations.from(ShutdownAutoConfiguration.class)
			.get(AutoConfigureAfter.class)
			.getValue("value", Class[].class)
			.orElse(new Class<?>[0]));
		List<Class<?>> before = List.of(MergedAnnotations.from(KubernetesDiscoveryAutoConfiguration.class)
			.get(AutoConfigureBefore.class)
			.getValue("value", Class[].class)
			.orElse(new Class<?>[0]));
		assertThat(after.contains(KubernetesDiscoveryAutoConfiguration.class)
				|| before.contains(ShutdownAutoConfiguration.class))
			.as("ShutdownAutoConfiguration after KubernetesDiscoveryAutoConfiguration (after: %s, before: %s)", after,
					before)
			.isTrue();
	}

}

package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.shutdown.DrainBeforeServerShutdown;
import io.github.rpcdiscovery.shutdown.DrainCoordinator;
import io.github.rpcdiscovery.shutdown.InstanceWithdrawnEvent;
import io.github.rpcdiscovery.shutdown.ShutdownProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Deregister first, drain, then shut the servers down gracefully: the {@link DrainCoordinator} hears when this
 * instance was withdrawn, and {@link DrainBeforeServerShutdown} waits out {@code rpc.shutdown.drain} in the lifecycle
 * phase just before the web server's graceful shutdown. After Kubernetes discovery: its Kubernetes drain is
 * conditional on that registry bean.
 */
@AutoConfiguration(after = KubernetesDiscoveryAutoConfiguration.class)
@ConditionalOnRpcConfigured
@EnableConfigurationProperties(ShutdownProperties.class)
final class ShutdownAutoConfiguration {

	/** One above Spring Boot's {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}: stops just before. */
	static final int DRAIN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024 + 1;

	@Bean
	@ConditionalOnMissingBean
	DrainCoordinator rpcDrainCoordinator(ShutdownProperties properties) {
		return new DrainCoordinator(properties.drain());
	}

	@Bean
	@ConditionalOnMissingBean
	DrainBeforeServerShutdown rpcDrainBeforeServerShutdown(DrainCoordinator coordinator) {
		return new DrainBeforeServerShutdown(coordinator, DRAIN_PHASE);
	}

	/**
	 * In Kubernetes the platform withdraws the pod: when it is deleted, its endpoint turns terminating while the pod
	 * gets SIGTERM. Draining from the moment the context closes gives clients watching the EndpointSlices the same
	 * time to catch up as a {@code preStop} sleep would.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.fabric8.kubernetes.client.KubernetesClient")
	@ConditionalOnBean(type = "io.github.rpcdiscovery.kubernetes.KubernetesServiceRegistry")
	static class KubernetesDrainConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "rpcKubernetesWithdrawal")
		ApplicationListener<ContextClosedEvent> rpcKubernetesWithdrawal(DrainCoordinator coordinator) {
			return (event) -> coordinator.withdrawn("the pod's endpoint (Kubernetes withdraws a terminating pod)");
		}

	}

}

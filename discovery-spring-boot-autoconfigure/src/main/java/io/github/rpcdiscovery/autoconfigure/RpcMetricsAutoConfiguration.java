package io.github.rpcdiscovery.autoconfigure;

import java.time.Clock;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancers;
import io.github.rpcdiscovery.metrics.RpcMetrics;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;
import io.github.rpcdiscovery.actuate.RpcStatusSources;
import io.github.rpcdiscovery.status.RegistryStatusProvider;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of discovery, registration and load balancing ({@code rpc.*}), when micrometer-core is on the
 * classpath and the application has a {@link MeterRegistry} (Spring Boot's actuator makes one).
 */
@AutoConfiguration(
		after = { RpcDiscoveryAutoConfiguration.class, RpcBalancerAutoConfiguration.class,
				EtcdDiscoveryAutoConfiguration.class, KubernetesDiscoveryAutoConfiguration.class,
				EtcdRegistrationAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnRpcConfigured
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ServiceDiscovery.class })
final class RpcMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RpcMetrics rpcMetrics(ServiceDiscovery discovery, ObjectProvider<RegistryStatusProvider> registries,
			ObjectProvider<RegistrationStatusProvider> registrations, ObjectProvider<ServiceBalancers> balancers) {
		return new RpcMetrics(new RpcStatusSources(discovery, registries.orderedStream().toList(),
				registrations.orderedStream().toList(), balancers.getIfAvailable(), Clock.systemUTC()));
	}

}

package io.github.rpcdiscovery.autoconfigure;

import java.time.Clock;

import io.github.rpcdiscovery.actuate.RegistrationHealthIndicator;
import io.github.rpcdiscovery.actuate.RegistryHealthIndicator;
import io.github.rpcdiscovery.actuate.RpcHealthProperties;
import io.github.rpcdiscovery.actuate.RpcReadinessHealthIndicator;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Health: the etcd connections and this application's registrations in Spring Cloud's {@code discoveryComposite}
 * (Kubernetes has its own, beside its source), always UP with details, and with
 * {@code rpc.health.readiness.enabled=true} the {@code rpcReadiness} indicator for the readiness probe.
 */
@AutoConfiguration(after = { RpcDiscoveryAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
		EtcdRegistrationAutoConfiguration.class },
		afterName = "io.github.rpcdiscovery.autoconfigure.GrpcServerRegistrationAutoConfiguration")
@ConditionalOnRpcConfigured
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
		"org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
@ConditionalOnBean(ServiceDiscovery.class)
@EnableConfigurationProperties(RpcHealthProperties.class)
final class RpcHealthAutoConfiguration {

	// only when etcd is configured: the source exists whenever jetcd is on the classpath
	@Bean
	@ConditionalOnBean(EtcdDiscoverySource.class)
	@Conditional(OnEtcdDiscoveryCondition.class)
	@ConditionalOnMissingBean(name = "etcdDiscoveryHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("etcdDiscovery")
	RegistryHealthIndicator etcdDiscoveryHealthIndicator(EtcdDiscoverySource source) {
		return new RegistryHealthIndicator(source, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnBean(RegistrationStatusProvider.class)
	@ConditionalOnMissingBean
	@ConditionalOnEnabledHealthIndicator("rpcRegistration")
	RegistrationHealthIndicator rpcRegistrationHealthIndicator(ObjectProvider<RegistrationStatusProvider> providers,
			RpcHealthProperties properties) {
		return new RegistrationHealthIndicator(providers.orderedStream().toList(), properties, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnBooleanProperty("rpc.health.readiness.enabled")
	@ConditionalOnMissingBean
	RpcReadinessHealthIndicator rpcReadinessHealthIndicator(ServiceDiscovery discovery,
			ObjectProvider<RegistrationStatusProvider> registrations, RpcHealthProperties properties) {
		return new RpcReadinessHealthIndicator(discovery, registrations.orderedStream().toList(), properties,
				Clock.systemUTC());
	}

}

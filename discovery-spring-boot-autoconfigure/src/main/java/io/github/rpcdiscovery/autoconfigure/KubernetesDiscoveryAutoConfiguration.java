package io.github.rpcdiscovery.autoconfigure;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.kubernetes.KubernetesClientFactory;
import io.github.rpcdiscovery.kubernetes.KubernetesDiscoveryHealthIndicator;
import io.github.rpcdiscovery.kubernetes.Fabric8RetryLogging;
import io.github.rpcdiscovery.kubernetes.KubernetesDiscoverySource;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties;
import io.github.rpcdiscovery.kubernetes.KubernetesServiceRegistry;
import io.github.rpcdiscovery.kubernetes.KubernetesStartupCheck;
import io.github.rpcdiscovery.target.DiscoveryPlan;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Kubernetes discovery ({@code k8s://namespace/service:port}): the fabric8 client (unless the application has one),
 * the EndpointSlice source, the startup check of RBAC, the health indicator and, unless etcd registration applies, the
 * registry that registers nothing because Kubernetes does. On when a target is {@code k8s://}, or
 * {@code rpc.kubernetes.namespace} is set, or {@code rpc.kubernetes.enabled=true}.
 * <p>
 * Its {@code rpc.kubernetes.namespace} is the plan's rule for any other service id ({@link DiscoveryPlanConfiguration}).
 * Runs before {@link RpcDiscoveryAutoConfiguration}.
 */
@AutoConfiguration(before = RpcDiscoveryAutoConfiguration.class)
@ConditionalOnRpcConfigured
@ConditionalOnClass(name = "io.fabric8.kubernetes.client.KubernetesClient")
@ConditionalOnRpcDiscoveryEnabled
@Conditional(OnKubernetesDiscoveryCondition.class)
@EnableConfigurationProperties({ RpcProperties.class, KubernetesProperties.class })
@Import(DiscoveryPlanConfiguration.class)
final class KubernetesDiscoveryAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesClient rpcKubernetesClient(KubernetesProperties properties) {
		return KubernetesClientFactory.create(properties.validate());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesDiscoverySource rpcKubernetesDiscoverySource(KubernetesClient client, ServiceCatalog catalog,
			KubernetesProperties properties, DiscoveryPlan plan, Environment environment) {
		properties.validate();
		KubernetesDiscoverySource.checkConfiguredTargets(plan);
		Fabric8RetryLogging.apply(environment, KubernetesDiscoveryAutoConfiguration.class.getClassLoader());
		return new KubernetesDiscoverySource(client, catalog, properties);
	}

	@Bean
	@ConditionalOnMissingBean
	KubernetesStartupCheck rpcKubernetesStartupCheck(ServiceDiscovery discovery, KubernetesDiscoverySource source) {
		return new KubernetesStartupCheck(discovery, source);
	}

	@Bean
	@ConditionalOnMissingBean(ServiceRegistry.class)
	@Conditional(OnNoEtcdHostsCondition.class)
	KubernetesServiceRegistry rpcKubernetesServiceRegistry() {
		return new KubernetesServiceRegistry();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	@ConditionalOnEnabledHealthIndicator("kubernetesDiscovery")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "kubernetesDiscoveryHealthIndicator")
		KubernetesDiscoveryHealthIndicator kubernetesDiscoveryHealthIndicator(KubernetesDiscoverySource source) {
			return new KubernetesDiscoveryHealthIndicator(source);
		}

	}

}

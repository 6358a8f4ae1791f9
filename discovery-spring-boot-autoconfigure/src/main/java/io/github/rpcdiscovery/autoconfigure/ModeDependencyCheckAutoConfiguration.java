package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.diagnostics.MissingModeDependencyException;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * A mode that is configured while a build excluded its library (README, "Dependency weight") stops the startup naming
 * the dependency, rather than leaving the mode's services silently unresolved: the mode's own auto-configuration backs
 * off on the missing class.
 */
@AutoConfiguration(before = RpcDiscoveryAutoConfiguration.class)
@ConditionalOnRpcConfigured
@ConditionalOnRpcDiscoveryEnabled
final class ModeDependencyCheckAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("io.etcd.jetcd.Client")
	@Conditional(OnEtcdInUseCondition.class)
	static class EtcdWithoutJetcd {

		EtcdWithoutJetcd() {
			throw new MissingModeDependencyException("etcd", "io.etcd:jetcd-core",
					"rpc.etcd.hosts, an etcd target or an EtcdConnectionDetails bean");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("io.fabric8.kubernetes.client.KubernetesClient")
	@Conditional(OnKubernetesDiscoveryCondition.class)
	static class KubernetesWithoutFabric8 {

		KubernetesWithoutFabric8() {
			throw new MissingModeDependencyException("Kubernetes", "io.fabric8:kubernetes-client",
					"a k8s:// target, rpc.kubernetes.namespace or rpc.kubernetes.enabled");
		}

	}

}

package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.config.DiscoveryPlanResolver;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link DiscoveryPlan} of the application: the {@code rpc:} block resolved once (its warnings logged once),
 * unless the application defines its own plan. Imported by every auto-configuration that reads the plan (discovery,
 * etcd and gRPC registration, Kubernetes), so it exists whenever one of them does, also with discovery turned off.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RpcProperties.class)
class DiscoveryPlanConfiguration {

	/**
	 * With Kubernetes discovery on (its properties are bound only then), {@code rpc.kubernetes.namespace} is the rule
	 * for any service id no block names.
	 */
	@Bean
	@ConditionalOnMissingBean
	DiscoveryPlan rpcDiscoveryPlan(RpcProperties properties, ObjectProvider<KubernetesProperties> kubernetes,
			ObjectProvider<EtcdConnectionDetails> etcd) {
		// the default cluster (rpc.etcd's hosts, account and TLS) is where the connection details say
		DiscoveryPlan plan = DiscoveryPlanResolver
			.resolve(EtcdConnectionDetailsBeans.applyTo(properties, etcd.getIfAvailable()));
		KubernetesProperties kubernetesProperties = kubernetes.getIfAvailable();
		String namespace = (kubernetesProperties != null) ? kubernetesProperties.validate().namespace() : null;
		if (namespace == null || namespace.isBlank()) {
			return plan;
		}
		return new DiscoveryPlan(plan.configured(), plan.defaultEtcd(), namespace);
	}

	/** The cluster this application registers in: the plan's default cluster ({@code rpc.etcd}). */
	static EtcdCluster registrationCluster(DiscoveryPlan plan) {
		EtcdCluster cluster = plan.defaultEtcd();
		if (cluster == null) {
			throw new IllegalStateException("rpc.etcd.hosts is set but the DiscoveryPlan bean has no default etcd"
					+ " cluster to register in: give the plan the cluster of rpc.etcd (DiscoveryPlan#defaultEtcd)");
		}
		return cluster;
	}

}

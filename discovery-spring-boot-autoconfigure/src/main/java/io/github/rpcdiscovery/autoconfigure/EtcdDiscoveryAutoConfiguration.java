package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.config.EtcdDiscoveryProperties;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySettings;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;
import io.github.rpcdiscovery.etcd.EtcdServicesSettings;
import io.github.rpcdiscovery.etcd.EtcdStartupCheck;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Discovery from etcd: the source that resolves service ids to the instances under their etcd key. It connects only
 * when a service that resolves to etcd is first looked up (or is configured). Only when etcd is configured, so that
 * other modes load nothing of jetcd.
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, RpcDiscoveryAutoConfiguration.class })
@ConditionalOnClass(name = "io.etcd.jetcd.Client")
@ConditionalOnRpcDiscoveryEnabled
@Conditional(OnEtcdDiscoveryCondition.class)
@EnableConfigurationProperties({ RpcProperties.class, EtcdDiscoveryProperties.class })
final class EtcdDiscoveryAutoConfiguration {

	/**
	 * {@code rpc.etcd.discovery.*}, with the clients' deadline ({@code rpc.etcd.request-timeout}) as the read timeout
	 * so the two agree; an application's own settings bean replaces it.
	 */
	@Bean
	@ConditionalOnMissingBean
	EtcdDiscoverySettings rpcEtcdDiscoverySettings(EtcdDiscoveryProperties properties, EtcdConnections connections) {
		return new EtcdDiscoverySettings(connections.requestTimeout(),
				properties.initialBackoff(), properties.maxBackoff(), properties.pageSize(), properties.batchSize(),
				properties.maxConcurrentLoads());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EtcdDiscoverySource rpcEtcdDiscoverySource(ServiceCatalog catalog, EtcdConnections connections,
			EtcdDiscoverySettings settings, EtcdDiscoveryProperties properties) {
		return new EtcdDiscoverySource(catalog, connections, settings,
				new EtcdServicesSettings(properties.servicesPrefix(), properties.maxServices()));
	}

	/** {@code rpc.etcd.fail-fast=true}: etcd that cannot be used at startup fails it, naming the cause. */
	@Bean
	@ConditionalOnBooleanProperty("rpc.etcd.fail-fast")
	@ConditionalOnBean(ServiceDiscovery.class)
	@ConditionalOnMissingBean
	EtcdStartupCheck rpcEtcdStartupCheck(ServiceDiscovery discovery, EtcdDiscoverySource source,
			EtcdConnections connections, RpcProperties properties) {
		return new EtcdStartupCheck(discovery, source, connections, properties.discovery().initialLoadTimeout());
	}

}

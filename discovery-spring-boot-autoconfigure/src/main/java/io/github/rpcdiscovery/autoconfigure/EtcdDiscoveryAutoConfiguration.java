package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Discovery from etcd: the source that resolves service ids to the instances under their etcd key. It connects only
 * when a service that resolves to etcd is first looked up (or is configured).
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, RpcDiscoveryAutoConfiguration.class })
@ConditionalOnClass(name = "io.etcd.jetcd.Client")
@ConditionalOnRpcDiscoveryEnabled
final class EtcdDiscoveryAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EtcdDiscoverySource rpcEtcdDiscoverySource(ServiceCatalog catalog, EtcdConnections connections) {
		return new EtcdDiscoverySource(catalog, connections);
	}

}

package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.config.DiscoveryPlanResolver;
import io.github.rpcdiscovery.config.EtcdProperties;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.etcd.EtcdConnections;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The shared etcd clients (one per cluster), used by etcd discovery and etcd registration alike, and where the
 * application's etcd is ({@link EtcdConnectionDetails}). Created lazily: an application that never talks to etcd never
 * connects.
 */
@AutoConfiguration
@ConditionalOnRpcConfigured
@ConditionalOnClass(name = "io.etcd.jetcd.Client")
final class EtcdAutoConfiguration {

	/** {@code rpc.etcd.*}, unless the application, Testcontainers or Docker Compose defines where etcd is. */
	@Bean
	@ConditionalOnMissingBean(EtcdConnectionDetails.class)
	PropertiesEtcdConnectionDetails rpcEtcdConnectionDetails(ObjectProvider<RpcProperties> properties) {
		RpcProperties rpc = properties.getIfAvailable();
		return new PropertiesEtcdConnectionDetails((rpc != null) ? rpc.etcd() : EtcdProperties.empty());
	}

	/** Only when something talks to etcd: the clients' classes pull in jetcd, grpc-java and Netty. */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	@Conditional(OnEtcdInUseCondition.class)
	EtcdConnections rpcEtcdConnections(ObjectProvider<RpcProperties> properties) {
		RpcProperties rpc = properties.getIfAvailable();
		return (rpc != null) ? new EtcdConnections(DiscoveryPlanResolver.requestTimeout(rpc.etcd()))
				: new EtcdConnections();
	}

}

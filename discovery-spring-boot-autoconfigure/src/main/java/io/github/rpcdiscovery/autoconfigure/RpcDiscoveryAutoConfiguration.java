package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import io.github.rpcdiscovery.cloud.CatalogChangeLogger;
import io.github.rpcdiscovery.cloud.CatalogHeartbeatPublisher;
import io.github.rpcdiscovery.cloud.DiscoveryInitializedPublisher;
import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.core.DiscoverySource;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.direct.DirectDiscoverySource;
import io.github.rpcdiscovery.target.DiscoveryPlan;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The core of discovery: the validated plan of which service resolves where, the catalog, the static-endpoint source
 * and the {@link ServiceDiscovery} facade that the Spring Cloud clients and the load balancer read.
 */
@AutoConfiguration
@ConditionalOnRpcConfigured
@ConditionalOnRpcDiscoveryEnabled
@EnableConfigurationProperties(RpcProperties.class)
@Import(DiscoveryPlanConfiguration.class)
final class RpcDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceCatalog rpcServiceCatalog() {
		ServiceCatalog catalog = new ServiceCatalog();
		catalog.addListener(new CatalogChangeLogger());
		return catalog;
	}

	@Bean
	@ConditionalOnMissingBean
	DirectDiscoverySource rpcDirectDiscoverySource(ServiceCatalog catalog) {
		return new DirectDiscoverySource(catalog);
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnMissingBean
	ServiceDiscovery rpcServiceDiscovery(ServiceCatalog catalog, DiscoveryPlan plan,
			ObjectProvider<DiscoverySource> sources, RpcProperties properties) {
		List<DiscoverySource> all = sources.orderedStream().toList();
		return new ServiceDiscovery(catalog, plan, all, properties.discovery().initialLoadTimeout(),
				properties.discovery().unlisted().settings());
	}

	@Bean
	@ConditionalOnMissingBean
	DiscoveryInitializedPublisher rpcDiscoveryInitializedPublisher() {
		return new DiscoveryInitializedPublisher();
	}

	@Bean
	@ConditionalOnMissingBean
	CatalogHeartbeatPublisher rpcCatalogHeartbeatPublisher(ServiceCatalog catalog,
			ApplicationEventPublisher publisher) {
		return new CatalogHeartbeatPublisher(catalog, publisher);
	}

}

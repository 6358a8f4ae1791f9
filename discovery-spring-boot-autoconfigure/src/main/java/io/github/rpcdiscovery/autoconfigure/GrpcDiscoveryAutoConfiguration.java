package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.RoutingSettings;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.grpc.GrpcProperties;
import io.github.rpcdiscovery.grpc.client.DiscoveryChannelCustomizer;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannelBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.grpc.client.autoconfigure.GrpcChannelFactoryCustomizer;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;
import org.springframework.grpc.client.VirtualTargets;

/**
 * gRPC channels resolve go-zero's targets and {@code discovery:///<service-id>} from this starter's catalog. Active
 * only with Spring gRPC's client on the classpath: grpc-java alone comes with jetcd, and an HTTP-only application does
 * not pay for gRPC's registries.
 */
@AutoConfiguration(after = RpcDiscoveryAutoConfiguration.class,
		beforeName = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnRpcConfigured
@ConditionalOnClass(name = { "io.grpc.NameResolverProvider", "org.springframework.grpc.client.GrpcChannelFactory" })
@ConditionalOnRpcDiscoveryEnabled
@ConditionalOnBean(ServiceDiscovery.class)
@EnableConfigurationProperties(GrpcProperties.class)
@Import(BalancerSettingsConfiguration.class)
final class GrpcDiscoveryAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	GrpcNameResolvers rpcGrpcNameResolvers(ServiceDiscovery discovery) {
		return GrpcNameResolvers.registerDefault(discovery);
	}

	/** {@code p2c_ewma} channels balance with the same settings as the HTTP balancers ({@code rpc.balancer.*}). */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	P2cEwmaPolicyRegistration rpcP2cEwmaPolicyRegistration(BalancerSettings settings,
			RoutingSettings.Source routing) {
		return new P2cEwmaPolicyRegistration(LoadBalancerRegistry.getDefaultRegistry(), settings, routing);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.grpc.client.autoconfigure.GrpcChannelFactoryCustomizer")
	static class SpringGrpcClientConfiguration {

		/** Spring gRPC applies it while creating its channel factory: the resolvers are registered before any channel. */
		@Bean
		@ConditionalOnMissingBean(name = "rpcGrpcNameResolversFirst")
		GrpcChannelFactoryCustomizer rpcGrpcNameResolversFirst(GrpcNameResolvers resolvers) {
			return (factory) -> {
			};
		}

		@Bean
		@ConditionalOnMissingBean(name = "rpcGrpcDiscoveryChannelCustomizer")
		@Order(DiscoveryChannelCustomizer.ORDER)
		<T extends ManagedChannelBuilder<T>> GrpcChannelBuilderCustomizer<T> rpcGrpcDiscoveryChannelCustomizer(
				ObjectProvider<GrpcClientProperties> clientProperties, ServiceDiscovery discovery, GrpcProperties properties,
				Environment environment) {
			VirtualTargets targets = (name) -> {
				GrpcClientProperties client = clientProperties.getIfAvailable();
				return (client != null) ? client.getTarget(name) : VirtualTargets.DEFAULT.getTarget(name);
			};
			return new DiscoveryChannelCustomizer<>(targets, discovery, properties, new ExplicitChannelPolicy(environment));
		}

	}

}

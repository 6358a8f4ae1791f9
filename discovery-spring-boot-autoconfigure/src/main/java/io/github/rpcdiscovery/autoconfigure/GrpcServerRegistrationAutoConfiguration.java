package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.registration.EtcdAutoRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdServiceRegistry;
import io.github.rpcdiscovery.etcd.registration.RegistrationAddressResolver;
import io.github.rpcdiscovery.grpc.GrpcProperties;
import io.github.rpcdiscovery.grpc.server.GrpcServerRegistration;
import io.github.rpcdiscovery.shutdown.DrainBeforeServerShutdown;
import io.github.rpcdiscovery.shutdown.DrainCoordinator;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.HostAndPort;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.InetUtilsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * A Spring gRPC server registers itself in etcd for go-zero clients when {@code rpc.grpc.registration.key} and
 * {@code rpc.etcd.hosts} are set; independent of the HTTP registration (its own key, lease and port).
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, ShutdownAutoConfiguration.class },
		afterName = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration")
@ConditionalOnRpcConfigured
@ConditionalOnClass(name = { "io.etcd.jetcd.Client", "org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent" })
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(name = "rpc.grpc.registration.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "rpc.grpc.registration.key")
@Conditional(OnEtcdHostsCondition.class)
@EnableConfigurationProperties({ RpcProperties.class, GrpcProperties.class })
@Import(DiscoveryPlanConfiguration.class)
final class GrpcServerRegistrationAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	GrpcServerRegistration rpcGrpcServerRegistration(EtcdConnections connections, RpcProperties rpc,
			GrpcProperties grpc, DiscoveryPlan plan, Environment environment, ObjectProvider<InetUtils> inetUtils,
			ObjectProvider<EtcdAutoRegistration> webRegistration) {
		String key = grpc.registration().key().strip();
		EtcdAutoRegistration web = webRegistration.getIfAvailable();
		GrpcServerRegistration.requireOwnKey(key, web != null && web.registersUnder(key));
		EtcdServiceRegistry registry = new EtcdServiceRegistry(connections,
				DiscoveryPlanConfiguration.registrationCluster(plan), false);
		String host = (grpc.registration().host() != null) ? grpc.registration().host() : hostOf(rpc.listenOn());
		GrpcServerRegistration.HostResolver fallback = (chosen, port) -> {
			RegistrationAddressResolver.Resolved resolved = new RegistrationAddressResolver(chosen,
					() -> environment.getProperty("POD_IP"),
					() -> inetUtils.getIfAvailable(() -> new InetUtils(new InetUtilsProperties()))
						.findFirstNonLoopbackHostInfo()
						.getIpAddress())
				.resolve(port);
			return resolved.address();
		};
		return new GrpcServerRegistration(registry, key, rpc.etcd().ttl(), host, fallback);
	}

	/**
	 * Spring gRPC stops its server in the first lifecycle phase, before the web server's drain: this waits out
	 * {@code rpc.shutdown.drain} just before it (it depends on the server lifecycle, so it stops first).
	 */
	@Bean
	@ConditionalOnBean(GrpcServerLifecycle.class)
	@ConditionalOnMissingBean(name = "rpcGrpcDrainBeforeServerShutdown")
	DrainBeforeServerShutdown rpcGrpcDrainBeforeServerShutdown(DrainCoordinator coordinator,
			List<GrpcServerLifecycle> servers) {
		return new DrainBeforeServerShutdown(coordinator, Integer.MAX_VALUE);
	}

	/** The host of go-zero's {@code ListenOn} ({@code host:port}, {@code :port} or a bare host), or {@code null}. */
	static @Nullable String hostOf(@Nullable String listenOn) {
		if (listenOn == null || listenOn.isBlank() || listenOn.strip().startsWith(":")) {
			return null;
		}
		HostAndPort parsed = HostAndPort.parseOrNull(listenOn.strip());
		return (parsed != null) ? parsed.host() : listenOn.strip();
	}

}

package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.registration.EtcdAutoRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdServiceRegistry;
import io.github.rpcdiscovery.etcd.registration.RegistrationAddressResolver;
import io.github.rpcdiscovery.etcd.registration.RegistrationProperties;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.InetUtilsProperties;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Registers this application in etcd, go-zero style, when {@code rpc.etcd.hosts} is set: Spring Cloud's
 * {@code ServiceRegistry} (always, so applications can register more instances themselves) and, unless
 * {@code spring.cloud.service-registry.auto-registration.enabled=false}, the automatic registration of this
 * application. Runs before Spring Cloud's {@link ServiceRegistryAutoConfiguration}, whose actuator endpoint needs the
 * registry, and after its auto-registration configuration, as Spring Cloud's own registries do.
 */
@AutoConfiguration(
		after = { EtcdAutoConfiguration.class, UtilAutoConfiguration.class, AutoServiceRegistrationConfiguration.class,
				AutoServiceRegistrationAutoConfiguration.class },
		before = ServiceRegistryAutoConfiguration.class)
@ConditionalOnRpcConfigured
@ConditionalOnClass(name = "io.etcd.jetcd.Client")
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(name = "spring.cloud.service-registry.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "rpc.registration.enabled", matchIfMissing = true)
@Conditional(OnEtcdHostsCondition.class)
@EnableConfigurationProperties({ RpcProperties.class, RegistrationProperties.class })
@Import(DiscoveryPlanConfiguration.class)
final class EtcdRegistrationAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EtcdServiceRegistry etcdServiceRegistry(EtcdConnections connections, DiscoveryPlan plan,
			RegistrationProperties registration, Environment environment) {
		EtcdCluster cluster = DiscoveryPlanConfiguration.registrationCluster(plan);
		// rpc.etcd.fail-fast covers registration as well; rpc.registration.fail-fast (older) covers only registration
		boolean failFast = registration.failFast()
				|| environment.getProperty("rpc.etcd.fail-fast", Boolean.class, false);
		return new EtcdServiceRegistry(connections, cluster, failFast);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "spring.cloud.service-registry.auto-registration.enabled", matchIfMissing = true)
	static final class AutoRegistrationConfiguration {

		/**
		 * This application's registration; its address is bound when the application is ready. The key is
		 * {@code rpc.etcd.key}, else {@code spring.application.name}: never the key of another service.
		 */
		@Bean
		@ConditionalOnMissingBean
		EtcdRegistration etcdRegistration(RpcProperties rpc, RegistrationProperties registration,
				Environment environment) {
			String key = (rpc.etcd().key() != null && !rpc.etcd().key().isBlank()) ? rpc.etcd().key().strip()
					: environment.getProperty("spring.application.name");
			String defaultScheme = environment.getProperty("server.ssl.enabled", Boolean.class, false) ? "https"
					: "http";
			return new EtcdRegistration((key != null && !key.isBlank()) ? key.strip() : null, rpc.etcd().id(),
					rpc.etcd().ttl(), registration.registeredMetadata(
							environment.getProperty("spring.cloud.loadbalancer.zone"), defaultScheme),
					null);
		}

		@Bean
		@ConditionalOnMissingBean
		RegistrationAddressResolver etcdRegistrationAddressResolver(RpcProperties rpc, Environment environment,
				ObjectProvider<InetUtils> inetUtils) {
			return new RegistrationAddressResolver(rpc.listenOn(), () -> environment.getProperty("POD_IP"),
					() -> inetUtils.getIfAvailable(() -> new InetUtils(new InetUtilsProperties()))
						.findFirstNonLoopbackHostInfo()
						.getIpAddress());
		}

		@Bean
		@ConditionalOnMissingBean
		EtcdAutoRegistration etcdAutoRegistration(EtcdServiceRegistry registry, EtcdRegistration registration,
				RegistrationAddressResolver addresses, Environment environment) {
			return new EtcdAutoRegistration(registry, registration, addresses,
					environment.getProperty("rpc.registration.container-address-check", Boolean.class, true));
		}

	}

}

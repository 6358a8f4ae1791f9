package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import io.github.rpcdiscovery.etcd.registration.EtcdServiceRegistry;
import io.github.rpcdiscovery.grpc.resolver.GrpcTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the application's etcd is: {@code rpc.etcd.*} by default, an {@link EtcdConnectionDetails} bean when there
 * is one. Registration, discovery and gRPC targets all use the same cluster. Nothing here connects to etcd (a context
 * runner's application is never ready); the address is port 1 on loopback.
 */
class EtcdConnectionDetailsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, RpcDiscoveryAutoConfiguration.class,
				EtcdDiscoveryAutoConfiguration.class, EtcdRegistrationAutoConfiguration.class,
				UtilAutoConfiguration.class, AutoServiceRegistrationConfiguration.class,
				AutoServiceRegistrationAutoConfiguration.class, NoEtcdMarker.class))
		.withPropertyValues("spring.application.name=user.rpc");

	@Test
	void theDefaultIsRpcEtcdWithItsAccountAndTls() {
		this.runner
			.withPropertyValues("rpc.etcd.hosts=127.0.0.1:1", "rpc.etcd.user=app", "rpc.etcd.pass=secret",
					"rpc.etcd.ca-cert-file=/etc/etcd/ca.pem", "rpc.etcd.cert-file=/etc/etcd/client.pem",
					"rpc.etcd.cert-key-file=/etc/etcd/client-key.pem")
			.run((context) -> {
				EtcdConnectionDetails details = context.getBean(EtcdConnectionDetails.class);
				assertThat(details).isInstanceOf(PropertiesEtcdConnectionDetails.class);
				assertThat(details.getHosts()).containsExactly("127.0.0.1:1");
				assertThat(details.getUser()).isEqualTo("app");
				assertThat(details.getPassword()).isEqualTo("secret");
				assertThat(details.getTls()).isEqualTo(new EtcdConnectionDetails.Tls("/etc/etcd/ca.pem",
						"/etc/etcd/client.pem", "/etc/etcd/client-key.pem", false));
				assertThat(context.getBean(EtcdServiceRegistry.class).cluster())
					.isEqualTo(new EtcdCluster(List.of("127.0.0.1:1"), "app", "secret", "/etc/etcd/client.pem",
							"/etc/etcd/client-key.pem", "/etc/etcd/ca.pem", false));
			});
	}

	@Test
	void withoutHostsOrBeanNothingRegistersInEtcd() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(EtcdServiceRegistry.class)
			.hasBean("noEtcd"));
	}

	@Test
	void aUserBeanWinsOverRpcEtcdForRegistrationDiscoveryAndGrpcTargets() {
		this.runner.withUserConfiguration(UserEtcd.class)
			.withPropertyValues("rpc.etcd.hosts=127.0.0.1:2", "rpc.etcd.user=ignored", "rpc.etcd.key=user.rpc",
					"rpc.etcd.ttl=7")
			.run((context) -> {
				assertThat(context).hasSingleBean(EtcdConnectionDetails.class)
					.doesNotHaveBean(PropertiesEtcdConnectionDetails.class);
				EtcdCluster expected = new EtcdCluster(List.of("127.0.0.1:1"), "app", "secret", null, null,
						"/etc/etcd/ca.pem", false);
				assertThat(context.getBean(EtcdServiceRegistry.class).cluster()).isEqualTo(expected);
				assertUsesEverywhere(context.getBean(DiscoveryPlan.class), expected);
			});
	}

	@Test
	void aUserBeanAloneSwitchesEtcdOnWithNoRpcEtcdHosts() {
		this.runner.withUserConfiguration(UserEtcd.class).run((context) -> {
			assertThat(context).hasSingleBean(EtcdServiceRegistry.class).doesNotHaveBean("noEtcd");
			EtcdCluster expected = new EtcdCluster(List.of("127.0.0.1:1"), "app", "secret", null, null,
					"/etc/etcd/ca.pem", false);
			assertThat(context.getBean(EtcdServiceRegistry.class).cluster()).isEqualTo(expected);
			assertUsesEverywhere(context.getBean(DiscoveryPlan.class), expected);
		});
	}

	/** HTTP discovery of an unlisted id, {@code discovery:///} and {@code etcd:///?key=} all look in that cluster. */
	private static void assertUsesEverywhere(DiscoveryPlan plan, EtcdCluster expected) {
		assertThat(plan.defaultEtcd()).isEqualTo(expected);
		assertThat(plan.upstreamFor("order.rpc")).hasValueSatisfying(
				(upstream) -> assertThat(((EtcdTarget) upstream.target()).cluster()).isEqualTo(expected));
		for (String target : new String[] { "discovery:///order.rpc", "etcd:///?key=order.rpc" }) {
			GrpcTarget parsed = GrpcTarget.parse(target, plan);
			assertThat(((EtcdTarget) parsed.upstream().target()).cluster()).as(target).isEqualTo(expected);
		}
	}

	/**
	 * What Kubernetes' registry (a no-op without etcd) is conditional on; an auto-configuration, as Kubernetes' is,
	 * so that the application's beans are known when it is evaluated.
	 */
	@Configuration(proxyBeanMethods = false)
	static class NoEtcdMarker {

		@Bean
		@Conditional(OnNoEtcdHostsCondition.class)
		String noEtcd() {
			return "no etcd";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEtcd {

		@Bean
		EtcdConnectionDetails userEtcd() {
			return new EtcdConnectionDetails() {

				@Override
				public List<String> getHosts() {
					return List.of("127.0.0.1:1");
				}

				@Override
				public @Nullable String getUser() {
					return "app";
				}

				@Override
				public @Nullable String getPassword() {
					return "secret";
				}

				@Override
				public @Nullable Tls getTls() {
					return Tls.trusting("/etc/etcd/ca.pem");
				}

			};
		}

	}

}

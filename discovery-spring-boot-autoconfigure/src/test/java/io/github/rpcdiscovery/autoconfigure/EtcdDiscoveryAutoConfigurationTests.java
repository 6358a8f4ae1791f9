package io.github.rpcdiscovery.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The etcd discovery source's auto-configuration matrix, and an application wired end to end against etcd. */
class EtcdDiscoveryAutoConfigurationTests {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
				RpcDiscoveryAutoConfiguration.class, RpcDiscoveryClientAutoConfiguration.class,
				RpcLoadBalancerAutoConfiguration.class, UtilAutoConfiguration.class,
				SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
				CommonsClientAutoConfiguration.class, LoadBalancerAutoConfiguration.class));

	@Test
	void withoutEtcdConfiguredThereIsNeitherSourceNorClient() {
		this.runner.withPropertyValues("rpc.name=a", "rpc.endpoints=127.0.0.1:8081")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoverySource.class)
				.doesNotHaveBean(EtcdConnections.class)
				.hasSingleBean(ServiceDiscovery.class));
	}

	@Test
	void theSourceIsThereWhenEtcdIsConfigured() {
		this.runner.withPropertyValues("rpc.etcd.hosts=" + etcd.hostAndPort()).run((context) -> {
			assertThat(context).hasSingleBean(EtcdDiscoverySource.class).hasSingleBean(EtcdConnections.class);
			assertThat(context.getBean(EtcdDiscoverySource.class).name()).isEqualTo("etcd");
		});
	}

	@Test
	void withoutJetcdThereIsNoEtcdSource() {
		this.runner.withClassLoader(new FilteredClassLoader(Client.class))
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoverySource.class)
				.hasSingleBean(ServiceDiscovery.class));
	}

	@Test
	void rpcDiscoveryDisabledMeansNoEtcdSource() {
		this.runner.withPropertyValues("rpc.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoverySource.class));
	}

	@Test
	void springCloudDiscoveryDisabledMeansNoEtcdSource() {
		this.runner.withPropertyValues("spring.cloud.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoverySource.class));
	}

	@Test
	void anApplicationSourceReplacesOurs() {
		this.runner
			.withBean("customEtcdSource", EtcdDiscoverySource.class,
					() -> new EtcdDiscoverySource(new ServiceCatalog(), new EtcdConnections()))
			.run((context) -> assertThat(context).hasSingleBean(EtcdDiscoverySource.class)
				.hasBean("customEtcdSource"));
	}

	@Test
	void anyServiceIdResolvesInTheDefaultClusterAndChangesReachTheLoadBalancerAndAHeartbeat() {
		EtcdCtl etcdctl = etcd.process().etcdctl();
		long lease = etcdctl.grantLease(600);
		etcdctl.put("order.rpc/" + lease, "127.0.0.5:8080", lease);
		this.runner.withPropertyValues("rpc.etcd.hosts=" + etcd.hostAndPort())
			.withBean(HeartbeatRecorder.class)
			.run((context) -> {
				DiscoveryClient client = context.getBean(DiscoveryClient.class);
				assertThat(client.getInstances("order.rpc")).extracting(ServiceInstance::getInstanceId)
					.containsExactly("127.0.0.5:8080");

				ServiceInstanceListSupplier supplier = context.getBean(LoadBalancerClientFactory.class)
					.getInstance("order.rpc", ServiceInstanceListSupplier.class);
				AtomicReference<List<ServiceInstance>> balanced = new AtomicReference<>(List.of());
				Disposable subscription = supplier.get().subscribe(balanced::set);
				try {
					await().atMost(Duration.ofSeconds(5))
						.untilAsserted(() -> assertThat(balanced.get()).hasSize(1));
					HeartbeatRecorder heartbeats = context.getBean(HeartbeatRecorder.class);
					long catalogVersion = context.getBean(ServiceCatalog.class).version();

					long second = etcdctl.grantLease(600);
					etcdctl.put("order.rpc/" + second, "127.0.0.6:8080", second);
					await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
						assertThat(balanced.get()).extracting(ServiceInstance::getInstanceId)
							.containsExactly("127.0.0.5:8080", "127.0.0.6:8080");
						assertThat(heartbeats.states).anySatisfy(
								(state) -> assertThat((Long) state).isGreaterThan(catalogVersion));
					});

					etcdctl.revoke(lease);
					await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(balanced.get())
						.extracting(ServiceInstance::getInstanceId)
						.containsExactly("127.0.0.6:8080"));
					assertThat(client.getInstances("order.rpc")).extracting(ServiceInstance::getInstanceId)
						.containsExactly("127.0.0.6:8080");
				}
				finally {
					subscription.dispose();
				}
			});
	}

	@Test
	void getServicesListsTheRegisteredKeysUnderTheServicesPrefixAndANewOneWithAHeartbeat() {
		EtcdCtl etcdctl = etcd.process().etcdctl();
		long lease = etcdctl.grantLease(600);
		etcdctl.put("edge/catalog/" + lease, "127.0.0.5:8080", lease);
		etcdctl.put("outside.rpc/" + lease, "127.0.0.5:8080", lease);
		this.runner
			.withPropertyValues("rpc.etcd.hosts=" + etcd.hostAndPort(), "rpc.etcd.discovery.services-prefix=edge/")
			.withBean(HeartbeatRecorder.class)
			.run((context) -> {
				DiscoveryClient client = context.getBean(DiscoveryClient.class);
				// a cold JVM's first etcd connection may take longer than the first call waits
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(client.getServices()).containsExactly("edge/catalog"));

				List<Object> heartbeats = context.getBean(HeartbeatRecorder.class).states;
				int before = heartbeats.size();
				etcdctl.put("edge/orders/" + lease, "127.0.0.6:8080", lease);
				await().atMost(Duration.ofSeconds(1)).untilAsserted(
						() -> assertThat(client.getServices()).containsExactlyInAnyOrder("edge/catalog", "edge/orders"));
				await().atMost(Duration.ofSeconds(1)).until(() -> heartbeats.size() > before);
				etcdctl.revoke(lease);
			});
	}

	static class HeartbeatRecorder implements ApplicationListener<HeartbeatEvent> {

		final List<Object> states = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(HeartbeatEvent event) {
			this.states.add(event.getValue());
		}

	}

}

package io.github.rpcdiscovery.loadbalancer;

import java.time.Duration;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import io.github.rpcdiscovery.testing.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Cloud's simple discovery next to {@code rpc.etcd.hosts}: an id registered in etcd is served by this starter,
 * an id only the simple discovery client knows goes through Spring Cloud's own chain, unchanged, and is reached by
 * {@code @LoadBalanced} RestClient and WebClient alike.
 */
class OtherDiscoveryNextToEtcdTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	static HttpBackend inEtcd;

	static HttpBackend inSimpleDiscovery;

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		inEtcd = HttpBackend.start("127.0.0.1");
		inSimpleDiscovery = HttpBackend.start("127.0.0.2");
		// as go-zero registers: <key>/<lease id> = host:port
		etcd.process().etcdctl().put("orders.rpc/7587", inEtcd.address());
		SpringApplication application = new SpringApplication(ClientApp.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run("--rpc.etcd.hosts=" + etcd.hostAndPort(), "--rpc.registration.enabled=false",
				"--spring.cloud.discovery.client.simple.instances.static-svc[0].uri=http://"
						+ inSimpleDiscovery.address(),
				"--spring.cloud.loadbalancer.retry.enabled=false");
	}

	@AfterAll
	static void stop() {
		context.close();
		inEtcd.close();
		inSimpleDiscovery.close();
	}

	@Test
	void restClientReachesBothRegistries() {
		RestClient client = context.getBean("lbRestClientBuilder", RestClient.Builder.class).build();
		for (int i = 0; i < 3; i++) {
			assertThat(client.get().uri("http://static-svc/hello").retrieve().body(String.class))
				.isEqualTo(inSimpleDiscovery.address());
			assertThat(client.get().uri("http://orders.rpc/hello").retrieve().body(String.class))
				.isEqualTo(inEtcd.address());
		}
	}

	@Test
	void webClientReachesBothRegistries() {
		WebClient client = context.getBean("lbWebClientBuilder", WebClient.Builder.class).build();
		for (int i = 0; i < 3; i++) {
			assertThat(client.get().uri("http://static-svc/hello").retrieve().bodyToMono(String.class)
				.block(Duration.ofSeconds(5))).isEqualTo(inSimpleDiscovery.address());
			assertThat(client.get().uri("http://orders.rpc/hello").retrieve().bodyToMono(String.class)
				.block(Duration.ofSeconds(5))).isEqualTo(inEtcd.address());
		}
	}

	@Test
	void theOtherIdIsNeitherWatchedNorBalancedHere() {
		LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
		assertThat(factory.getInstance("static-svc")).isInstanceOf(RoundRobinLoadBalancer.class);
		assertThat(factory.getInstance("orders.rpc")).isInstanceOf(RpcServiceInstanceLoadBalancer.class);
		ServiceDiscovery discovery = context.getBean(ServiceDiscovery.class);
		assertThat(discovery.resolves("static-svc")).isFalse();
		assertThat(context.getBean(DiscoveryClient.class).getInstances("static-svc")).singleElement()
			.satisfies((instance) -> assertThat(instance.getPort()).isEqualTo(inSimpleDiscovery.port()));
		assertThat(discovery.serviceIds()).doesNotContain("static-svc");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApp {

		@Bean
		@LoadBalanced
		RestClient.Builder lbRestClientBuilder() {
			return RestClient.builder();
		}

		@Bean
		@LoadBalanced
		WebClient.Builder lbWebClientBuilder() {
			return WebClient.builder();
		}

	}

}

package io.github.rpcdiscovery.loadbalancer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 10,000 distinct ids looked up through Spring Cloud's {@code DiscoveryClient} against a real etcd (1,000 of them
 * registered there) leave a bounded number of watches, threads and meters.
 */
class UnlistedIdsStayBoundedTest {

	static final int LOOKED_UP = 10_000;

	static final int REGISTERED = 1_000;

	static final int MAX_WATCHED = 100;

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() throws Exception {
		try (Client client = Client.builder().endpoints("http://" + etcd.hostAndPort()).build()) {
			List<CompletableFuture<?>> puts = new ArrayList<>();
			for (int i = 0; i < REGISTERED; i++) {
				puts.add(client.getKVClient().put(bytes("svc-" + i + "/1"), bytes("127.0.0.1:" + (20000 + i))));
			}
			CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
		}
		SpringApplication application = new SpringApplication(ClientApp.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run("--rpc.etcd.hosts=" + etcd.hostAndPort(), "--rpc.registration.enabled=false",
				"--rpc.discovery.unlisted.max-services=" + MAX_WATCHED);
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void manyLookedUpIdsLeaveBoundedWatchesThreadsAndMeters() {
		DiscoveryClient discoveryClient = context.getBean(DiscoveryClient.class);
		ServiceDiscovery discovery = context.getBean(ServiceDiscovery.class);
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		// warm up, so the threads counted below are those the lookups add
		assertThat(discoveryClient.getInstances("svc-0")).hasSize(1);
		int threadsBefore = Thread.activeCount();
		int found = 0;
		for (int i = 0; i < LOOKED_UP; i++) {
			// every tenth id is registered: svc-0, svc-1, ... among unregistered ones
			String id = (i % 10 == 0) ? "svc-" + (i / 10) : "nowhere-" + i;
			if (!discoveryClient.getInstances(id).isEmpty()) {
				found++;
			}
			assertThat(discovery.unlistedWatchCount()).isLessThanOrEqualTo(MAX_WATCHED);
		}
		assertThat(found).as("every registered id is found").isEqualTo(REGISTERED);
		assertThat(discovery.unlistedWatchCount()).isLessThanOrEqualTo(MAX_WATCHED);
		assertThat(discovery.serviceIds()).hasSizeLessThanOrEqualTo(MAX_WATCHED);
		assertThat(meters.find("rpc.discovery.instances").gauges()).hasSizeLessThanOrEqualTo(MAX_WATCHED);
		// a few pool threads may start lazily (the two first-load threads, the JDK's timeout scheduler, jetcd's executor
		// under load: 28 against 22 seen once on a loaded machine); 10,000 lookups must not add one per id or per watch
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 10));
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApp {

	}

}

package io.github.rpcdiscovery.loadbalancer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.rpcdiscovery.actuate.RpcEndpoint;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.etcd.InstanceMetadataCodec;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import io.github.rpcdiscovery.testing.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three backends registered in a real etcd as go-zero registers them, two with a {@code weight} in the starter's
 * metadata beside the key ({@code _rpc-meta/}) and one without (a go-zero instance: weight 1): P2C shares one
 * caller's sequential calls 1 : 2 : 4, and {@code /actuator/rpc/{serviceId}} shows each instance's weight and share.
 */
class WeightedSharesIntegrationTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	static final String SERVICE = "weighted.rpc";

	static final int CALLS = 1_400;

	static HttpBackend plain;

	static HttpBackend double_;

	static HttpBackend quadruple;

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		plain = HttpBackend.start("127.0.0.1");
		double_ = HttpBackend.start("127.0.0.2");
		quadruple = HttpBackend.start("127.0.0.3");
		etcd.process().etcdctl().put(SERVICE + "/1", plain.address());
		register("2", double_, "2");
		register("3", quadruple, "4");
		SpringApplication application = new SpringApplication(LoadBalancedCalls.ClientApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run("--rpc.etcd.hosts=" + etcd.hostAndPort(), "--rpc.registration.enabled=false",
				"--rpc.load-balancer=p2c", "--spring.cloud.loadbalancer.retry.enabled=false",
				"--management.endpoints.web.exposure.include=rpc", "--management.endpoints.jmx.exposure.include=rpc");
	}

	private static void register(String id, HttpBackend backend, String weight) {
		etcd.process()
			.etcdctl()
			.put(InstanceMetadataCodec.metadataKey(SERVICE, id),
					InstanceMetadataCodec.encode(backend.address(), Map.of("weight", weight)));
		etcd.process().etcdctl().put(SERVICE + "/" + id, backend.address());
	}

	@AfterAll
	static void stop() {
		context.close();
		plain.close();
		double_.close();
		quadruple.close();
	}

	@Test
	void sequentialCallsFollowTheRegisteredWeights() {
		ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
		RestClient client = context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class).build();
		// the first call starts the watch; wait until the three instances and their metadata are in
		client.get().uri("http://" + SERVICE + "/hello").retrieve().body(String.class);
		await().until(() -> catalog.instances(SERVICE)
			.stream()
			.filter((instance) -> instance.getMetadata().containsKey("weight"))
			.count() == 2 && catalog.instances(SERVICE).size() == 3);
		Map<String, Integer> calls = new HashMap<>();
		for (int i = 0; i < CALLS; i++) {
			calls.merge(client.get().uri("http://" + SERVICE + "/hello").retrieve().body(String.class), 1,
					Integer::sum);
		}
		assertThat(calls.keySet()).isEqualTo(Set.of(plain.address(), double_.address(), quadruple.address()));
		List<Integer> expected = List.of(CALLS / 7, CALLS * 2 / 7, CALLS * 4 / 7);
		List<HttpBackend> backends = List.of(plain, double_, quadruple);
		for (int i = 0; i < 3; i++) {
			assertThat(calls.get(backends.get(i).address())).as("calls of weight %d in %s", 1 << i, calls)
				.isBetween((int) (expected.get(i) * 0.95), (int) (expected.get(i) * 1.05));
		}
		assertShownByTheEndpoint(backends);
	}

	/** {@code /actuator/rpc/weighted.rpc} shows each instance's weight and its share of the recent calls. */
	@SuppressWarnings("unchecked")
	private static void assertShownByTheEndpoint(List<HttpBackend> backends) {
		Map<String, Object> view = context.getBean(RpcEndpoint.class).service(SERVICE);
		Map<String, Map<String, Object>> byAddress = new HashMap<>();
		for (Map<String, Object> instance : (List<Map<String, Object>>) view.get("instances")) {
			byAddress.put((String) instance.get("address"), instance);
		}
		for (int i = 0; i < 3; i++) {
			Map<String, Object> instance = byAddress.get(backends.get(i).address());
			assertThat(instance.get("weight")).isEqualTo(1 << i);
			// the shares of calls made a second or so apart: within 5 points of 1/7, 2/7, 4/7
			assertThat((double) instance.get("sharePercent")).as("share of weight %d", 1 << i)
				.isCloseTo(100.0 * (1 << i) / 7, org.assertj.core.data.Offset.offset(5.0));
		}
	}

}

package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.github.rpcdiscovery.cloud.CatalogHeartbeatPublisher;
import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.cloud.RpcReactiveDiscoveryClient;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.core.UnlistedServices;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code DiscoveryClient.getServices()} in Kubernetes mode lists the Services of the namespaces discovered in, not
 * only the ids looked up; without RBAC on {@code services} it falls back to those ids, with one WARN naming the rule.
 * Against the mock API server in CRUD mode.
 */
@ExtendWith(OutputCaptureExtension.class)
class KubernetesServicesListingTest {

	static final String TOKEN = "app-token";

	static final String ACCOUNT = "system:serviceaccount:default:sample-client";

	private SourceUnderTest k8s;

	private MockKubernetes cluster;

	private ServiceDiscovery discovery;

	private CatalogHeartbeatPublisher heartbeatPublisher;

	private final List<Object> heartbeats = new CopyOnWriteArrayList<>();

	private DiscoveryClient client;

	@BeforeEach
	void start() {
		this.k8s = new SourceUnderTest(TOKEN);
		this.cluster = this.k8s.cluster;
		// the default namespace "shop", and a client block calling "billing" in namespace "finance"
		Upstream billing = new Upstream("payments", new KubernetesTarget("finance", "billing", 8080), "rpc.clients[0]");
		this.discovery = new ServiceDiscovery(this.k8s.catalog, new DiscoveryPlan(List.of(billing), null, "shop"),
				List.of(this.k8s.source()), Duration.ofSeconds(10), new UnlistedServices.Settings(
						UnlistedServices.Mode.REGISTERED, Duration.ofMinutes(10), 512, Duration.ofSeconds(10)));
		this.heartbeatPublisher = new CatalogHeartbeatPublisher(this.k8s.catalog, (event) -> {
			if (event instanceof HeartbeatEvent heartbeat) {
				this.heartbeats.add(heartbeat.getValue());
			}
		});
		this.heartbeatPublisher.afterSingletonsInstantiated(); // as the started context does
		this.client = new RpcDiscoveryClient(this.discovery, 0);
	}

	@AfterEach
	void stop() {
		this.heartbeatPublisher.destroy();
		this.discovery.close();
		this.k8s.close();
	}

	@Test
	void servicesCreatedAndDeletedInAWatchedNamespaceComeAndGoWithAHeartbeat() {
		this.cluster.apply(service("shop", "cart"));
		this.cluster.apply(service("elsewhere", "ignored"));
		assertThat(this.client.getServices()).as("never looked up").containsExactly("cart");

		int before = this.heartbeats.size();
		this.cluster.apply(service("shop", "orders"));
		this.cluster.apply(service("finance", "billing"));
		this.cluster.apply(service("finance", "ledger"));
		await().atMost(Duration.ofSeconds(1)).untilAsserted(
				() -> assertThat(this.client.getServices()).containsExactly("payments", "cart", "orders"));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.heartbeats.size() > before);
		assertThat(new RpcReactiveDiscoveryClient(this.discovery, 0).getServices().collectList().block())
			.containsExactly("payments", "cart", "orders");

		int beforeDelete = this.heartbeats.size();
		this.cluster.admin().services().inNamespace("shop").withName("cart").delete();
		this.cluster.admin().services().inNamespace("finance").withName("billing").delete();
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(this.client.getServices()).containsExactly("orders"));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.heartbeats.size() > beforeDelete);
	}

	@Test
	void withoutPermissionOnServicesTheServicesLookedUpAreListedWithOneWarningNamingTheRule(CapturedOutput output) {
		this.cluster.apply(service("shop", "cart"));
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		this.cluster.apply(service("shop", "orders"));
		this.cluster.deny(TOKEN, ACCOUNT, (path) -> path.contains("/services"));

		assertThat(this.client.getInstances("cart")).hasSize(1);
		assertThat(this.client.getServices()).containsExactly("cart");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> output.getAll().contains("list, watch on services in API group \"\" (core)"));
		assertThat(output.getAll()).contains("kubectl create role rpc-discovery-services --verb=list,watch"
				+ " --resource=services -n shop")
			.contains("--serviceaccount=default:sample-client")
			.contains("k8s/rbac-service-labels.yaml")
			.contains("needed to list the namespace's Services for DiscoveryClient.getServices()");

		this.cluster.allowAll();
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.client.getServices()).containsExactly("cart", "orders"));
		assertThat(output.getAll().split("needed to list the namespace's Services", -1)).as("one WARN per namespace")
			.hasSize(3);
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

	private static Service service(String namespace, String name) {
		return new ServiceBuilder().withNewMetadata()
			.withNamespace(namespace)
			.withName(name)
			.endMetadata()
			.withNewSpec()
			.addNewPort()
			.withPort(8080)
			.endPort()
			.endSpec()
			.build();
	}

}

package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.core.CatalogChange;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties.AddressFamily;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The source against a mock API server in CRUD mode, driven as the EndpointSlice controller would drive it: after
 * every step the catalog holds exactly the ready endpoints of all the slices of the Service.
 */
@ExtendWith(OutputCaptureExtension.class)
class KubernetesDiscoverySourceTest {

	static final Duration WAIT = SourceUnderTest.WAIT;

	SourceUnderTest k8s;

	MockKubernetes cluster;

	ServiceCatalog catalog;

	@BeforeEach
	void start() {
		this.k8s = new SourceUnderTest("app-token");
		this.cluster = this.k8s.cluster;
		this.catalog = this.k8s.catalog;
	}

	@AfterEach
	void stop() {
		this.k8s.close();
	}

	static io.fabric8.kubernetes.api.model.Service service(String team) {
		// a label that would pretend to be the source must not win over the instance's own keys
		return new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
			.withNamespace("shop")
			.withName("cart")
			.addToLabels("team", team)
			.addToLabels("rpc.source", "label")
			.endMetadata()
			.withNewSpec()
			.addNewPort()
			.withName("http")
			.withPort(8080)
			.endPort()
			.endSpec()
			.build();
	}

	KubernetesDiscoverySource source(KubernetesProperties properties) {
		return this.k8s.source(properties, Duration.ofMillis(200));
	}

	CompletableFuture<Void> watch(String serviceId, String namespace, String service, Integer port) {
		return this.k8s.watch(serviceId, namespace, service, port);
	}

	List<String> addresses(String serviceId) {
		return this.k8s.addresses(serviceId);
	}

	void awaitAddresses(String serviceId, String... expected) {
		this.k8s.awaitAddresses(serviceId, expected);
	}

	@Test
	void theViewIsExactlyTheReadyEndpointsOfAllSlicesAfterEveryStep() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.ready("127.0.0.1", "cart-1")
			.ready("127.0.0.2", "cart-2")
			.build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(addresses("cart")).containsExactly("127.0.0.1:8080", "127.0.0.2:8080");

		// cart-2 fails its readiness probe
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.ready("127.0.0.1", "cart-1")
			.notReady("127.0.0.2", "cart-2")
			.build());
		awaitAddresses("cart", "127.0.0.1:8080");

		// cart-2 is deleted: terminating (still serving in-flight requests) gets no new traffic; cart-3 starts
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.ready("127.0.0.1", "cart-1")
			.terminating("127.0.0.2", "cart-2")
			.unknownConditions("127.0.0.3", "cart-3")
			.build());
		awaitAddresses("cart", "127.0.0.1:8080", "127.0.0.3:8080");

		// a second slice (the Service grew past one slice)
		this.cluster.apply(slice("shop", "cart", "cart-b").port("http", 8080)
			.ready("127.0.0.4", "cart-4")
			.ready("127.0.0.5", "cart-5")
			.build());
		awaitAddresses("cart", "127.0.0.1:8080", "127.0.0.3:8080", "127.0.0.4:8080", "127.0.0.5:8080");

		// an endpoint removed from the first slice does not disturb the second
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.3", "cart-3").build());
		awaitAddresses("cart", "127.0.0.3:8080", "127.0.0.4:8080", "127.0.0.5:8080");

		// the second slice removed
		this.cluster.deleteSlice("shop", "cart-b");
		awaitAddresses("cart", "127.0.0.3:8080");

		// every slice of the Service deleted (the Service was deleted)
		this.cluster.deleteSlice("shop", "cart-a");
		awaitAddresses("cart");
		assertThat(this.catalog.snapshot("cart")).as("loaded, with no instances").isNotNull();
	}

	@Test
	void anUpdateRebuildsOnlyTheEndpointsThatChanged() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.ready("127.0.0.1", "cart-1")
			.ready("127.0.0.2", "cart-2")
			.build());
		this.cluster.apply(slice("shop", "cart", "cart-b").port("http", 8080).ready("127.0.0.3", "cart-3").build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		List<DiscoveredInstance> before = this.catalog.instances("cart");
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.ready("127.0.0.1", "cart-1")
			.ready("127.0.0.4", "cart-2")
			.build());
		awaitAddresses("cart", "127.0.0.1:8080", "127.0.0.3:8080", "127.0.0.4:8080");
		List<DiscoveredInstance> after = this.catalog.instances("cart");
		// same objects: the unchanged endpoint of the changed slice, and the whole unchanged slice
		assertThat(after.get(0)).isSameAs(before.get(0));
		assertThat(after.get(2)).isSameAs(before.get(2));
		assertThat(after.get(1)).isNotSameAs(before.get(1));
	}

	@Test
	void slicesOfOtherServicesAndNamespacesAreIgnored() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		this.cluster.apply(slice("shop", "cartx", "cartx-a").port("http", 8080).ready("127.0.0.2", "x-1").build());
		this.cluster.apply(slice("other", "cart", "cart-a").port("http", 8080).ready("127.0.0.3", "o-1").build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(addresses("cart")).containsExactly("127.0.0.1:8080");
	}

	@Test
	void theFirstLoadPublishesAllSlicesAtOnce() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		this.cluster.apply(slice("shop", "cart", "cart-b").port("http", 8080).ready("127.0.0.2", "cart-2").build());
		List<CatalogChange> changes = new CopyOnWriteArrayList<>();
		this.catalog.addListener("cart", changes::add);
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(changes).hasSize(1);
		assertThat(changes.get(0).current().instances()).hasSize(2);
	}

	@Test
	void instancesCarryTheZonesTheirSliceHintsThemFor() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.endpoint(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder().withAddresses("127.0.0.1")
				.withZone("eu-west-1b")
				.withNewHints()
				.addNewForZone("eu-west-1b")
				.addNewForZone("eu-west-1c")
				.endHints()
				.build())
			.ready("127.0.0.2", "cart-2")
			.build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(this.catalog.instances("cart")).extracting((instance) -> instance.getMetadata()
			.get(KubernetesMetadata.FOR_ZONES)).containsExactlyInAnyOrder("eu-west-1b,eu-west-1c", null);
	}

	@Test
	void instancesCarryThePodNodeZoneAndSource() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.endpoint("127.0.0.1", "cart-7d9f-x2k", "eu-west-1b", true, true, false)
			.build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		DiscoveredInstance instance = this.catalog.instances("cart").get(0);
		assertThat(instance.getInstanceId()).isEqualTo("cart-7d9f-x2k");
		assertThat(instance.getUri()).hasToString("http://127.0.0.1:8080");
		assertThat(instance.getMetadata()).containsEntry("rpc.source", "kubernetes")
			.containsEntry("zone", "eu-west-1b")
			.containsEntry(KubernetesMetadata.POD, "cart-7d9f-x2k")
			.containsEntry(KubernetesMetadata.NODE, "node-cart-7d9f-x2k")
			.containsEntry(KubernetesMetadata.NAMESPACE, "shop")
			.containsEntry(KubernetesMetadata.SERVICE, "cart")
			.containsEntry(KubernetesMetadata.PORT_NAME, "http")
			.containsEntry(KubernetesMetadata.ADDRESS_TYPE, "IPv4");
	}

	@Test
	void withoutAPodReferenceTheInstanceIdIsHostAndPort() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.endpoint("127.0.0.1", null, null, true, null, null)
			.build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(this.catalog.instances("cart").get(0).getInstanceId()).isEqualTo("127.0.0.1:8080");
	}

	@Test
	void aDualStackPodIsOneInstanceOfThePreferredFamily() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-v4").port("http", 8080)
			.ready("127.0.0.1", "cart-1")
			.ready("127.0.0.2", "cart-2")
			.build());
		this.cluster.apply(slice("shop", "cart", "cart-v6").ipv6().port("http", 8080).ready("::1", "cart-1").build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(addresses("cart")).containsExactly("127.0.0.1:8080", "127.0.0.2:8080");

		KubernetesDiscoverySource ipv6 = new KubernetesDiscoverySource(this.k8s.client, this.catalog,
				new KubernetesProperties(null, null, null, Map.of(), AddressFamily.IPV6, false, null, null, null,
						false));
		try {
			ipv6.watch(new Upstream("cart6", new KubernetesTarget("shop", "cart", 8080), "test"))
				.get(10, TimeUnit.SECONDS);
			assertThat(addresses("cart6")).containsExactly("127.0.0.2:8080", "[::1]:8080");
			assertThat(this.catalog.instances("cart6")).extracting(DiscoveredInstance::getUri)
				.extracting(Object::toString)
				.contains("http://[::1]:8080");
		}
		finally {
			ipv6.close();
		}
	}

	@Test
	void aPodInTwoSlicesWhileTheControllerMovesItIsOneInstance() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		this.cluster.apply(slice("shop", "cart", "cart-b").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(this.catalog.instances("cart")).hasSize(1);
	}

	@Test
	void withoutAPortInTheTargetTheOnlyPortIsUsed() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("grpc", 9090).ready("127.0.0.1", "cart-1").build());
		watch("cart", "shop", "cart", null).get(10, TimeUnit.SECONDS);
		assertThat(addresses("cart")).containsExactly("127.0.0.1:9090");
	}

	@Test
	void severalPortsAndNoPortNameIsOneErrorListingTheNames(CapturedOutput output) throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.port("metrics", 9100)
			.ready("127.0.0.1", "cart-1")
			.build());
		watch("cart", "shop", "cart", null).get(10, TimeUnit.SECONDS);
		assertThat(this.catalog.instances("cart")).isEmpty();
		// a change of the slice that does not fix it logs nothing new
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.port("metrics", 9100)
			.ready("127.0.0.1", "cart-1")
			.ready("127.0.0.2", "cart-2")
			.build());
		await().atMost(WAIT).until(() -> this.cluster.endpointSliceRequests() > 0);
		String text = output.getAll();
		assertThat(text).contains("ERROR")
			.contains("has several ports (http=8080, metrics=9100)")
			.contains("rpc.kubernetes.port-name to one of http, metrics");
		assertThat(text.split("has several ports", -1)).hasSize(2);
	}

	@Test
	void aPortNameChoosesThePortPerServiceOrByDefault() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.port("grpc", 9090)
			.ready("127.0.0.1", "cart-1")
			.build());
		this.cluster.apply(slice("shop", "stock", "stock-a").port("http", 8081)
			.port("grpc", 9091)
			.ready("127.0.0.2", "stock-1")
			.build());
		source(new KubernetesProperties(null, null, "grpc", Map.of("stock", "http"), AddressFamily.IPV4, false, null,
				null, null, false));
		watch("cart", "shop", "cart", null).get(10, TimeUnit.SECONDS);
		watch("stock", "shop", "stock", null).get(10, TimeUnit.SECONDS);
		assertThat(addresses("cart")).containsExactly("127.0.0.1:9090");
		assertThat(addresses("stock")).containsExactly("127.0.0.2:8081");
	}

	@Test
	void serviceIdsOfOneServiceShareOneInformer() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.port("grpc", 9090)
			.ready("127.0.0.1", "cart-1")
			.build());
		int before = this.cluster.endpointSliceRequests();
		watch("cart-http", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		watch("cart-grpc", "shop", "cart", 9090).get(10, TimeUnit.SECONDS);
		assertThat(addresses("cart-http")).containsExactly("127.0.0.1:8080");
		assertThat(addresses("cart-grpc")).containsExactly("127.0.0.1:9090");
		// one list and one watch
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.cluster.endpointSliceRequests() - before).isEqualTo(2));
	}

	@Test
	void invalidAddressesAreSkippedWithOneWarning(CapturedOutput output) throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.ready("127.0.0.1", "cart-1")
			.ready("127.0.0.300", "cart-2")
			.build());
		this.cluster.apply(slice("shop", "cart", "cart-v6").ipv6().port("http", 8080).ready("::1::2", "cart-3").build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(addresses("cart")).containsExactly("127.0.0.1:8080");
		assertThat(output.getAll()).contains("WARN")
			.contains("'127.0.0.300' is not a valid IPv4 address")
			.contains("'::1::2' is not a valid IPv6 address");
	}

	@Test
	void theServicesLabelsAreCopiedWhenAskedAndFollowed() throws Exception {
		this.cluster.apply(service("payments"));
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		source(new KubernetesProperties(null, null, null, Map.of(), AddressFamily.IPV4, true, null, null, null, false));
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(this.catalog.instances("cart").get(0).getMetadata()).containsEntry("team", "payments")
			.containsEntry("rpc.source", "kubernetes")
			.containsEntry(KubernetesMetadata.POD, "cart-1");
		this.cluster.apply(service("checkout"));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.catalog.instances("cart").get(0).getMetadata())
				.containsEntry("team", "checkout"));
	}

	@Test
	void withoutTheSettingTheServiceIsNeverRead() throws Exception {
		this.cluster.apply(service("payments"));
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		int before = this.cluster.requests((path) -> path.contains("/services"));
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		assertThat(this.catalog.instances("cart").get(0).getMetadata()).doesNotContainKey("team");
		assertThat(this.cluster.requests((path) -> path.contains("/services"))).as("requests for Services")
			.isEqualTo(before);
	}

	@Test
	void aServiceIdThatCannotBeAServiceNameFailsWithoutCallingTheApiServer(CapturedOutput output) {
		source(KubernetesProperties.defaults());
		int before = this.cluster.requestCount();
		CompletableFuture<Void> load = watch("user.rpc", "shop", "user.rpc", null);
		assertThat(load).isCompletedExceptionally();
		assertThat(output.getAll()).contains("'user.rpc' is not a valid Service name");
		assertThat(this.cluster.requestCount()).isEqualTo(before);
	}

	@Test
	void closingStopsTheWatches() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		this.k8s.source().close();
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.2", "cart-2").build());
		List<String> seen = new ArrayList<>();
		await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() -> {
			seen.clear();
			seen.addAll(addresses("cart"));
			assertThat(seen).containsExactly("127.0.0.1:8080");
		});
	}


	@Test
	void probesOfUnlistedIdsRunOnABoundedNumberOfTheSourcesOwnThreads() throws Exception {
		KubernetesDiscoverySource source = this.k8s.source();
		// the API server does not answer for now: every probe stays in flight until it is back
		this.cluster.proxy().blackhole();
		List<CompletableFuture<String>> probedOn = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			probedOn.add(source.holds(new Upstream("unlisted-" + i, new KubernetesTarget("shop", "unlisted-" + i, 8080),
					"test"))
				.handle((held, failure) -> Thread.currentThread().getName()));
		}
		this.cluster.proxy().heal();
		CompletableFuture.allOf(probedOn.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		java.util.Set<String> threads = new java.util.TreeSet<>();
		for (CompletableFuture<String> thread : probedOn) {
			threads.add(thread.get());
		}
		assertThat(threads).as("the threads the probes ran on").hasSizeLessThanOrEqualTo(4);
		assertThat(threads).allSatisfy((name) -> assertThat(name).startsWith("rpc-kubernetes-probe"));
	}

}

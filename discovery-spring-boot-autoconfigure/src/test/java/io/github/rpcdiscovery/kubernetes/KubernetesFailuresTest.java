package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * What the API server does wrong, and what discovery does about it: RBAC denials (at the first list and at runtime),
 * an unreachable API server (freeze, then relist), a dropped watch (resume) and a 410 Gone (relist).
 */
@ExtendWith(OutputCaptureExtension.class)
class KubernetesFailuresTest {

	static final Duration WAIT = SourceUnderTest.WAIT;

	static final String TOKEN = "app-token";

	static final String ACCOUNT = "system:serviceaccount:default:sample-client";

	SourceUnderTest k8s;

	MockKubernetes cluster;

	@BeforeEach
	void start() {
		this.k8s = new SourceUnderTest(TOKEN);
		this.cluster = this.k8s.cluster;
	}

	@AfterEach
	void stop() {
		this.k8s.close();
	}

	CompletableFuture<Void> watch(String service, Duration watchdog) {
		this.k8s.source(KubernetesProperties.defaults(), watchdog);
		return this.k8s.watch(service, "shop", service, 8080);
	}

	List<String> addresses(String serviceId) {
		return this.k8s.addresses(serviceId);
	}

	void awaitAddresses(String serviceId, String... expected) {
		this.k8s.awaitAddresses(serviceId, expected);
	}

	Health health() {
		return new KubernetesDiscoveryHealthIndicator(this.k8s.source()).health();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> serviceDetail(String name) {
		return (Map<String, Object>) ((Map<String, Object>) health().getDetails().get("services")).get(name);
	}

	String connection(String name) {
		return String.valueOf(serviceDetail(name).get("connection"));
	}

	long stalenessOf(String name) {
		return (long) serviceDetail(name).get("stalenessMillis");
	}

	@Test
	void a403OnTheFirstListNamesTheNamespaceTheAccountAndTheRule() {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		this.cluster.deny(TOKEN, ACCOUNT, (path) -> true);
		Throwable failure = catchThrowable(() -> watch("cart", Duration.ofMillis(200)).get(10, TimeUnit.SECONDS));
		assertThat(failure).isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOf(KubernetesAccessDeniedException.class);
		KubernetesAccessDeniedException denied = (KubernetesAccessDeniedException) failure.getCause();
		assertThat(denied.getCode()).isEqualTo(403);
		assertThat(denied.getServiceAccount()).isEqualTo("default/sample-client");
		assertThat(denied.getMessage()).isEqualTo("Kubernetes denied service account default/sample-client list, watch"
				+ " on endpointslices in API group discovery.k8s.io in namespace 'shop' (403 Forbidden), needed to"
				+ " discover Service 'cart'");
		assertThat(denied.description()).contains("Namespace:        shop")
			.contains("Service account:  default/sample-client")
			.contains("Needs:            list, watch on endpointslices in API group discovery.k8s.io, in namespace shop")
			.contains("cannot list resource \"endpointslices\"");
		assertThat(denied.action()).contains("kubectl create role rpc-discovery-endpointslices --verb=list,watch"
				+ " --resource=endpointslices.discovery.k8s.io -n shop")
			.contains("kubectl create rolebinding rpc-discovery-endpointslices --role=rpc-discovery-endpointslices"
					+ " --serviceaccount=default:sample-client -n shop")
			.contains("k8s/sample-client.yaml");
		assertThat(this.k8s.source().accessProblems()).hasSize(1);
	}

	@Test
	void accessGrantedLaterIsPickedUpWithoutARestart(CapturedOutput output) {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		this.cluster.deny(TOKEN, ACCOUNT, (path) -> true);
		CompletableFuture<Void> load = watch("cart", Duration.ofMillis(200));
		await().atMost(WAIT).until(load::isCompletedExceptionally);
		this.k8s.source().startupChecked();
		this.cluster.allowAll();
		awaitAddresses("cart", "127.0.0.1:8080");
		await().atMost(WAIT).until(() -> this.k8s.source().accessProblems().isEmpty());
		assertThat(output.getAll()).contains("Kubernetes now allows listing EndpointSlices of shop/cart");
		assertThat(output.getAll().split("Kubernetes denied service account", -1)).as("one ERROR, however many retries")
			.hasSize(2);
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

	@Test
	void accessRevokedAtRuntimeIsOneErrorAndTheLastListIsKept(CapturedOutput output) throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		watch("cart", Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);
		this.k8s.source().startupChecked();
		this.cluster.deny(TOKEN, ACCOUNT, (path) -> true);
		this.cluster.proxy().cut();
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.2", "cart-2").build());
		await().atMost(WAIT).until(() -> !this.k8s.source().accessProblems().isEmpty());
		await().during(Duration.ofSeconds(1)).atMost(WAIT)
			.untilAsserted(() -> assertThat(addresses("cart")).containsExactly("127.0.0.1:8080"));
		await().atMost(WAIT).until(() -> connection("shop/cart").equals("DENIED"));
		Health denied = health();
		assertThat(denied.getStatus()).isEqualTo(Status.UP);
		assertThat(denied.getDetails()).containsEntry("servingFrozenView", true).containsKey("accessDenied");
		// fabric8 retries a refused watch silently; the relist after the lost watch is what reveals the 403
		assertThat(output.getAll()).contains("ERROR").contains("cannot list resource \"endpointslices\"");

		this.cluster.allowAll();
		awaitAddresses("cart", "127.0.0.2:8080");
		assertThat(output.getAll().split("Kubernetes denied service account", -1)).hasSize(2);
		await().atMost(WAIT).until(() -> connection("shop/cart").equals("CONNECTED"));
	}

	@Test
	void anUnreachableApiServerFreezesTheListAndARelistCatchesUpWhenItIsBack(CapturedOutput output)
			throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.ready("127.0.0.1", "cart-1")
			.ready("127.0.0.2", "cart-2")
			.build());
		this.cluster.apply(slice("shop", "stock", "stock-a").port("http", 8080).ready("127.0.0.3", "stock-1").build());
		watch("cart", Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);
		watch("stock", Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);

		this.cluster.proxy().refuse();
		// while the application cannot see it: cart-1 goes away, cart-4 comes, the stock slice is deleted
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080)
			.ready("127.0.0.2", "cart-2")
			.ready("127.0.0.4", "cart-4")
			.build());
		this.cluster.deleteSlice("shop", "stock-a");
		await().atMost(WAIT).until(() -> output.getAll().contains("unreachable"));
		await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> {
			assertThat(addresses("cart")).containsExactly("127.0.0.1:8080", "127.0.0.2:8080");
			assertThat(addresses("stock")).containsExactly("127.0.0.3:8080");
		});
		// health stays UP and says the view is frozen, and since when
		await().atMost(WAIT).until(() -> connection("shop/cart").equals("UNREACHABLE"));
		Health frozen = health();
		assertThat(frozen.getStatus()).isEqualTo(Status.UP);
		assertThat(frozen.getDetails()).containsEntry("servingFrozenView", true);
		long staleness = stalenessOf("shop/cart");
		await().atMost(WAIT).until(() -> stalenessOf("shop/cart") >= staleness + 500);

		this.cluster.proxy().heal();
		// the mock resumes watches without replaying what they missed: only the relist can catch up
		awaitAddresses("cart", "127.0.0.2:8080", "127.0.0.4:8080");
		awaitAddresses("stock");
		await().atMost(WAIT).until(() -> output.getAll().contains("reachable again"));
		await().atMost(WAIT).until(() -> connection("shop/cart").equals("CONNECTED")
				&& connection("shop/stock").equals("CONNECTED"));
		assertThat(health().getDetails()).containsEntry("servingFrozenView", false);
		assertThat(stalenessOf("shop/cart")).isZero();
		String text = output.getAll();
		assertThat(text.split("unreachable", -1)).as("one WARN for two watches").hasSize(2);
		assertThat(text.split("reachable again", -1)).as("one INFO").hasSize(2);
	}

	@Test
	void aDroppedWatchResumes() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		// the production watchdog (1 s ticks): fabric8's own reconnect sometimes backs off for many seconds after a
		// cut, and then the watchdog's relist is what resumes the view
		watch("cart", Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
		// the informer opens its watch after the list has synced: a change seen proves the watch is up (a cut during
		// its opening handshake is another fault, see docs/kubernetes.md)
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.2", "cart-2").build());
		awaitAddresses("cart", "127.0.0.2:8080");
		int watchesBefore = this.cluster.endpointSliceRequests();
		this.cluster.proxy().cut();
		await().atMost(WAIT).until(() -> this.cluster.endpointSliceRequests() > watchesBefore);
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.3", "cart-3").build());
		awaitAddresses("cart", "127.0.0.3:8080");
	}

	@Test
	void aWatchSilentForTooLongIsReplacedByAFreshList(CapturedOutput output) throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		// fabric8 can believe a watch is up while nothing arrives (a reset during its opening handshake): after the
		// maximum silence a fresh list and watch replace it, quietly, and the view stays
		this.k8s.source(KubernetesProperties.defaults(), Duration.ofMillis(200), Duration.ofSeconds(2));
		this.k8s.watch("cart", "shop", "cart", 8080).get(10, TimeUnit.SECONDS);
		int lists = sliceListRequests();
		await().atMost(WAIT).until(() -> sliceListRequests() >= lists + 2);
		assertThat(addresses("cart")).containsExactly("127.0.0.1:8080");
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.2", "cart-2").build());
		awaitAddresses("cart", "127.0.0.2:8080");
		assertThat(output.getAll()).doesNotContain("unreachable", "reachable again");
	}

	private int sliceListRequests() {
		return this.cluster.requests((path) -> path.contains("/endpointslices") && !path.contains("watch=true"));
	}

	@Test
	void aGoneWatchRelists() throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		// no watchdog relist in this test: the relist must come from the informer's handling of 410 Gone
		watch("cart", Duration.ofHours(1)).get(10, TimeUnit.SECONDS);
		this.cluster.proxy().refuse();
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.2", "cart-2").build());
		this.cluster.apply(slice("shop", "cart", "cart-b").port("http", 8080).ready("127.0.0.3", "cart-3").build());
		this.cluster.goneOnNextWatch();
		this.cluster.proxy().heal();
		awaitAddresses("cart", "127.0.0.2:8080", "127.0.0.3:8080");
	}

	@Test
	void anApiServerDownAtStartupIsRetriedUntilItAnswers(CapturedOutput output) throws Exception {
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
		this.cluster.proxy().refuse();
		CompletableFuture<Void> load = watch("cart", Duration.ofMillis(200));
		await().atMost(WAIT).until(() -> output.getAll().contains("unreachable"));
		assertThat(load).isNotDone();
		this.cluster.proxy().heal();
		load.get(30, TimeUnit.SECONDS);
		assertThat(addresses("cart")).containsExactly("127.0.0.1:8080");
		await().atMost(WAIT).until(() -> output.getAll().contains("reachable again"));
	}

}

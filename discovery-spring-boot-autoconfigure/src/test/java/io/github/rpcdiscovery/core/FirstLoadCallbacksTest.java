package io.github.rpcdiscovery.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a caller attaches to a first load ({@link ServiceDiscovery#whenLoaded}: the LoadBalancer supplier, the gRPC
 * name resolver, the startup checks) runs on discovery's own few threads: never on a registry's callback thread, and
 * never while the registry holds a lock, so it may block briefly or take that lock without stalling the registry.
 */
class FirstLoadCallbacksTest {

	private static final String REGISTRY_THREAD = "fake-registry-callback";

	private final ServiceCatalog catalog = new ServiceCatalog();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void aDependentOfAFirstLoadRunsOutsideTheRegistrysLockAndOffItsThread() throws Exception {
		Object registryLock = new Object();
		ManualSource source = new ManualSource();
		ServiceDiscovery discovery = discovery(source, UnlistedServices.Mode.ALL);
		ExecutorService other = Executors.newSingleThreadExecutor();
		this.closeables.add(other::shutdownNow);

		CompletableFuture<String> dependent = discovery.whenLoaded("user.rpc").thenApply((snapshot) -> {
			// e.g. a listener that looks up another service, which needs the registry's lock on the registry's thread
			CompletableFuture<Void> tookTheLock = CompletableFuture.runAsync(() -> {
				synchronized (registryLock) {
					registryLock.notifyAll();
				}
			}, other);
			tookTheLock.orTimeout(2, TimeUnit.SECONDS).join();
			return Thread.currentThread().getName() + (Thread.holdsLock(registryLock) ? " holding the lock" : "");
		});
		Thread registry = new Thread(() -> {
			synchronized (registryLock) {
				this.catalog.update("user.rpc", List.of(instance("user.rpc", "127.0.0.1:8080")), "fake");
				source.firstLoad("user.rpc").complete(null);
			}
		}, REGISTRY_THREAD);
		registry.start();

		assertThat(dependent.get(10, TimeUnit.SECONDS)).startsWith("rpc-discovery-first-load")
			.doesNotContain(REGISTRY_THREAD)
			.doesNotContain("holding the lock");
		registry.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(registry.isAlive()).isFalse();
	}

	@Test
	void firstLoadsOfManyServicesCompleteOnABoundedNumberOfThreads() throws Exception {
		ManualSource source = new ManualSource();
		ServiceDiscovery discovery = discovery(source, UnlistedServices.Mode.ALL);
		int services = 64;
		Set<String> threads = ConcurrentHashMap.newKeySet();
		List<CompletableFuture<?>> dependents = new ArrayList<>();
		for (int i = 0; i < services; i++) {
			dependents.add(discovery.whenLoaded("svc-" + i)
				.thenRun(() -> threads.add(Thread.currentThread().getName())));
		}
		// each first load completes on a registry thread of its own: the worst case for whoever runs the dependents
		CountDownLatch registryThreadsDone = new CountDownLatch(services);
		for (int i = 0; i < services; i++) {
			String id = "svc-" + i;
			Thread registry = new Thread(() -> {
				this.catalog.update(id, List.of(instance(id, "127.0.0.1:8080")), "fake");
				source.firstLoad(id).complete(null);
				registryThreadsDone.countDown();
			}, REGISTRY_THREAD + "-" + i);
			registry.start();
		}
		assertThat(registryThreadsDone.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture.allOf(dependents.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

		assertThat(threads).as("threads that ran the dependents")
			.hasSizeLessThanOrEqualTo(FirstLoads.THREADS)
			.allMatch((name) -> name.startsWith("rpc-discovery-first-load"));
	}

	@Test
	void aFirstLoadThatTimesOutCompletesOnDiscoverysThreadsToo() throws Exception {
		ManualSource source = new ManualSource();
		ServiceDiscovery discovery = new ServiceDiscovery(this.catalog,
				new DiscoveryPlan(List.of(), EtcdCluster.of(List.of("127.0.0.1:2379")), null), List.of(source),
				Duration.ofMillis(200), allUnlisted());
		this.closeables.add(discovery);
		String thread = discovery.whenLoaded("slow.rpc")
			.thenApply((snapshot) -> Thread.currentThread().getName())
			.get(10, TimeUnit.SECONDS);
		assertThat(thread).startsWith("rpc-discovery-first-load");
	}

	@Test
	void anIdLookedUpButAbsentFromTheRegistryIsNotListed() throws Exception {
		ManualSource source = new ManualSource();
		ServiceDiscovery discovery = discovery(source, UnlistedServices.Mode.ALL);
		CompletableFuture<@Nullable InstanceSnapshot> absent = discovery.whenLoaded("absent.rpc");
		this.catalog.update("absent.rpc", List.of(), "fake: no key under absent.rpc/");
		source.firstLoad("absent.rpc").complete(null);
		assertThat(absent.get(10, TimeUnit.SECONDS).instances()).isEmpty();
		CompletableFuture<@Nullable InstanceSnapshot> present = discovery.whenLoaded("user.rpc");
		this.catalog.update("user.rpc", List.of(instance("user.rpc", "127.0.0.1:8080")), "fake");
		source.firstLoad("user.rpc").complete(null);
		present.get(10, TimeUnit.SECONDS);
		assertThat(discovery.serviceIds()).containsExactly("user.rpc");
	}

	/**
	 * A dependent that looks up another service with the blocking {@code getInstances} (on every first-load thread
	 * at once) gets its answer when that service is loaded, not after the initial load timeout: it does not wait for
	 * a relay queued behind itself.
	 */
	@Test
	void dependentsThatLookUpOtherServicesBlockingDoNotWaitForThemselves() throws Exception {
		ManualSource source = new ManualSource();
		ServiceDiscovery discovery = discovery(source, UnlistedServices.Mode.ALL);
		List<CompletableFuture<List<DiscoveredInstance>>> lookups = new ArrayList<>();
		for (int i = 0; i < FirstLoads.THREADS; i++) {
			String other = "other-" + i;
			lookups.add(discovery.whenLoaded("first-" + i).thenApply((snapshot) -> discovery.getInstances(other)));
		}
		for (int i = 0; i < FirstLoads.THREADS; i++) {
			load(source, "first-" + i);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> IntStream.range(0, FirstLoads.THREADS)
			.allMatch((i) -> source.watched("other-" + i)));
		for (int i = 0; i < FirstLoads.THREADS; i++) {
			load(source, "other-" + i);
		}
		for (CompletableFuture<List<DiscoveredInstance>> lookup : lookups) {
			// well within the 10 s initial load timeout
			assertThat(lookup.get(5, TimeUnit.SECONDS)).hasSize(1);
		}
	}

	private void load(ManualSource source, String serviceId) {
		this.catalog.update(serviceId, List.of(instance(serviceId, "127.0.0.1:8080")), "fake");
		source.firstLoad(serviceId).complete(null);
	}

	/** The real thing: etcd's first load completes on the cluster's discovery thread; dependents do not run there. */
	@Test
	void aDependentOfAnEtcdFirstLoadRunsOffTheEtcdThreads() throws Exception {
		EtcdProcess etcd = EtcdProcess.startSingle();
		this.closeables.add(etcd);
		etcd.etcdctl().put("user.rpc/1", "127.0.0.1:8080");
		EtcdConnections connections = new EtcdConnections();
		this.closeables.add(connections);
		EtcdCluster cluster = EtcdCluster.of(List.of(etcd.hostAndPort()));
		ServiceDiscovery discovery = new ServiceDiscovery(this.catalog, new DiscoveryPlan(List.of(), cluster, null),
				List.of(new EtcdDiscoverySource(this.catalog, connections)), Duration.ofSeconds(15), allUnlisted());
		this.closeables.add(0, discovery);

		CompletableFuture<String> thread = discovery.whenLoaded("user.rpc")
			.thenApply((snapshot) -> Thread.currentThread().getName() + " saw " + snapshot.instances().size());
		assertThat(thread.get(20, TimeUnit.SECONDS)).startsWith("rpc-discovery-first-load").endsWith(" saw 1");
	}

	private ServiceDiscovery discovery(DiscoverySource source, UnlistedServices.Mode mode) {
		ServiceDiscovery discovery = new ServiceDiscovery(this.catalog,
				new DiscoveryPlan(List.of(), EtcdCluster.of(List.of("127.0.0.1:2379")), null), List.of(source),
				Duration.ofSeconds(10),
				new UnlistedServices.Settings(mode, Duration.ofMinutes(10), 512, Duration.ofSeconds(10)));
		this.closeables.add(discovery);
		return discovery;
	}

	private static UnlistedServices.Settings allUnlisted() {
		return new UnlistedServices.Settings(UnlistedServices.Mode.ALL, Duration.ofMinutes(10), 512,
				Duration.ofSeconds(10));
	}

	private static DiscoveredInstance instance(String serviceId, String address) {
		return new DiscoveredInstance(serviceId, HostAndPort.parse(address), "etcd", Map.of());
	}

	/** An etcd source whose first loads the test completes, on threads of its choosing. */
	private static final class ManualSource implements DiscoverySource {

		private final Map<String, CompletableFuture<Void>> firstLoads = new ConcurrentHashMap<>();

		@Override
		public String name() {
			return "etcd";
		}

		private final Set<String> watched = ConcurrentHashMap.newKeySet();

		@Override
		public CompletableFuture<Void> watch(Upstream upstream) {
			this.watched.add(upstream.serviceId());
			return firstLoad(upstream.serviceId());
		}

		boolean watched(String serviceId) {
			return this.watched.contains(serviceId);
		}

		CompletableFuture<Void> firstLoad(String serviceId) {
			return this.firstLoads.computeIfAbsent(serviceId, (id) -> new CompletableFuture<>());
		}

	}

}

package io.github.rpcdiscovery.grpc.resolver;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.grpc.ManualDiscovery;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolver.ResolutionResult;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The resolver in a real {@link SynchronizationContext}, with an offload executor the test runs by hand so bursts and
 * ordering are under its control. The catalog is written directly, as a registry source would.
 */
class CatalogNameResolverTest {

	private static final String SERVICE = "orders";

	private final List<Throwable> uncaught = new ArrayList<>();

	private final SynchronizationContext syncContext = new SynchronizationContext(
			(thread, failure) -> this.uncaught.add(failure));

	private final Queue<Runnable> offloaded = new ArrayDeque<>();

	private final Executor offload = this.offloaded::add;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final ManualDiscovery registry = new ManualDiscovery(SERVICE);

	private final ServiceDiscovery discovery = this.registry.discovery(Duration.ofSeconds(30));

	private final CatalogNameResolverProvider provider = new CatalogNameResolverProvider("discovery", this.discovery);

	private final Recorder recorder = new Recorder();

	@AfterEach
	void noUncaughtFailures() {
		this.scheduler.shutdownNow();
		assertThat(this.uncaught).isEmpty();
	}

	@Test
	void emitsTheFirstLoadAndEveryChange() {
		NameResolver resolver = started("discovery:///orders");
		assertThat(this.recorder.results).isEmpty();
		load("127.0.0.1:9001", "127.0.0.2:9002");
		runOffloaded();
		assertThat(this.recorder.lastAddresses()).containsExactly("127.0.0.1:9001", "127.0.0.2:9002");
		load("127.0.0.1:9001");
		runOffloaded();
		assertThat(this.recorder.lastAddresses()).containsExactly("127.0.0.1:9001");
		assertThat(this.recorder.results).hasSize(2);
		assertThat(resolver.getServiceAuthority()).isEqualTo("orders");
	}

	@Test
	void collapsesABurstIntoOneEmissionOfTheLatestList() {
		started("discovery:///orders");
		load("127.0.0.1:9001");
		load("127.0.0.1:9001", "127.0.0.2:9002");
		load("127.0.0.1:9001", "127.0.0.2:9002", "127.0.0.3:9003");
		assertThat(this.offloaded).hasSize(1);
		runOffloaded();
		assertThat(this.recorder.results).hasSize(1);
		assertThat(this.recorder.lastAddresses()).containsExactly("127.0.0.1:9001", "127.0.0.2:9002",
				"127.0.0.3:9003");
	}

	@Test
	void anEmptyListIsSentOnlyWhenTheRegistrySaysSo() {
		started("discovery:///orders");
		load("127.0.0.1:9001");
		runOffloaded();
		// a registry outage does not touch the catalog: no emission, the channel keeps its list
		assertThat(this.offloaded).isEmpty();
		load();
		runOffloaded();
		assertThat(this.recorder.lastAddresses()).isEmpty();
	}

	@Test
	void refreshResolvesAgainFromTheCatalog() {
		NameResolver resolver = started("discovery:///orders");
		load("127.0.0.1:9001");
		runOffloaded();
		this.syncContext.execute(resolver::refresh);
		runOffloaded();
		assertThat(this.recorder.results).hasSize(2);
		assertThat(this.recorder.results.get(1)).isNotSameAs(this.recorder.results.get(0));
		assertThat(this.recorder.lastAddresses()).containsExactly("127.0.0.1:9001");
	}

	@Test
	void refreshLooksUpARegisteredHostNameAgain() {
		// the balancer asks for a refresh when a subchannel fails: the name's address may have moved
		Map<String, String> dns = new java.util.concurrent.ConcurrentHashMap<>(Map.of("orders.test", "127.0.0.5"));
		NameResolver resolver = new CatalogNameResolver(GrpcTarget.parse("discovery:///orders", this.discovery.plan()),
				this.discovery, args(), (host) -> {
					String address = dns.get(host);
					if (address == null) {
						throw new java.net.UnknownHostException(host);
					}
					return java.net.InetAddress.getByName(address);
				});
		this.syncContext.execute(() -> resolver.start(this.recorder));
		load("orders.test:9001");
		runOffloaded();
		assertThat(this.recorder.lastSockets()).containsExactly("127.0.0.5:9001");
		dns.put("orders.test", "127.0.0.6");
		this.syncContext.execute(resolver::refresh);
		runOffloaded();
		assertThat(this.recorder.lastSockets()).containsExactly("127.0.0.6:9001");
	}

	@Test
	void aFirstLoadThatTimesOutIsReportedAsUnavailable() {
		ServiceDiscovery impatient = this.registry.discovery(Duration.ofMillis(50));
		NameResolver resolver = new CatalogNameResolverProvider("discovery", impatient)
			.newNameResolver(URI.create("discovery:///orders"), args());
		this.syncContext.execute(() -> resolver.start(this.recorder));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !this.offloaded.isEmpty());
		runOffloaded();
		assertThat(this.recorder.errors).singleElement()
			.satisfies((status) -> assertThat(status.getDescription()).contains("has not loaded"));
		// the registry comes up: the list follows
		load("127.0.0.1:9001");
		runOffloaded();
		assertThat(this.recorder.lastAddresses()).containsExactly("127.0.0.1:9001");
	}

	@Test
	void shutdownRemovesTheCatalogListener() {
		NameResolver resolver = started("discovery:///orders");
		load("127.0.0.1:9001");
		runOffloaded();
		this.syncContext.execute(resolver::shutdown);
		load("127.0.0.2:9002");
		assertThat(this.offloaded).as("no emission scheduled after shutdown").isEmpty();
		assertThat(this.recorder.results).hasSize(1);
	}

	@Test
	void anEmissionInFlightAtShutdownIsDropped() {
		NameResolver resolver = started("discovery:///orders");
		load("127.0.0.1:9001");
		this.syncContext.execute(resolver::shutdown);
		runOffloaded();
		assertThat(this.recorder.results).isEmpty();
	}

	@Test
	void otherSchemesAreNotItsOwn() {
		assertThat(this.provider.newNameResolver(URI.create("dns:///127.0.0.1:9001"), args())).isNull();
	}

	@Test
	void aTargetWhoseSourceIsMissingIsRejectedWhenTheChannelIsBuilt() {
		CatalogNameResolverProvider k8s = new CatalogNameResolverProvider("k8s", this.discovery);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> k8s.newNameResolver(URI.create("k8s://shop/cart:8080"), args()))
			.withMessageContaining("kubernetes source, which is not available");
	}

	private NameResolver started(String target) {
		NameResolver resolver = this.provider.newNameResolver(URI.create(target), args());
		this.syncContext.execute(() -> resolver.start(this.recorder));
		return resolver;
	}

	private void load(String... addresses) {
		this.registry.register(addresses);
	}

	private void runOffloaded() {
		Runnable task;
		while ((task = this.offloaded.poll()) != null) {
			task.run();
		}
	}

	private NameResolver.Args args() {
		return NameResolver.Args.newBuilder()
			.setDefaultPort(443)
			.setProxyDetector((address) -> null)
			.setSynchronizationContext(this.syncContext)
			.setServiceConfigParser(new NameResolver.ServiceConfigParser() {

				@Override
				public NameResolver.ConfigOrError parseServiceConfig(Map<String, ?> rawServiceConfig) {
					return NameResolver.ConfigOrError.fromConfig(rawServiceConfig);
				}

			})
			.setScheduledExecutorService(this.scheduler)
			.setOffloadExecutor(this.offload)
			.build();
	}

	/** Records what the channel would receive, checking it arrives inside the synchronization context. */
	private final class Recorder extends NameResolver.Listener2 {

		final List<ResolutionResult> results = new ArrayList<>();

		final List<Status> errors = new ArrayList<>();

		@Override
		public void onResult(ResolutionResult result) {
			onResult2(result);
		}

		@Override
		public Status onResult2(ResolutionResult result) {
			CatalogNameResolverTest.this.syncContext.throwIfNotInThisSynchronizationContext();
			this.results.add(result);
			return Status.OK;
		}

		@Override
		public void onError(Status error) {
			CatalogNameResolverTest.this.syncContext.throwIfNotInThisSynchronizationContext();
			this.errors.add(error);
		}

		/** The socket addresses of the last result, whatever name they were registered under. */
		List<String> lastSockets() {
			assertThat(this.results).isNotEmpty();
			return this.results.get(this.results.size() - 1)
				.getAddressesOrError()
				.getValue()
				.stream()
				.map((group) -> (InetSocketAddress) group.getAddresses().get(0))
				.map((socket) -> socket.getAddress().getHostAddress() + ":" + socket.getPort())
				.toList();
		}

		List<String> lastAddresses() {
			assertThat(this.results).isNotEmpty();
			List<String> addresses = new ArrayList<>();
			for (EquivalentAddressGroup group : this.results.get(this.results.size() - 1)
				.getAddressesOrError()
				.getValue()) {
				InetSocketAddress socket = (InetSocketAddress) group.getAddresses().get(0);
				assertThat(group.getAttributes().get(AddressGroups.NODE_ID))
					.isEqualTo(socket.getHostString() + ":" + socket.getPort());
				addresses.add(socket.getHostString() + ":" + socket.getPort());
			}
			return addresses;
		}

	}

}

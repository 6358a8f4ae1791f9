package io.github.rpcdiscovery.bench.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.core.DiscoverySource;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.kubernetes.KubernetesDiscoverySource;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties;
import io.github.rpcdiscovery.loadbalancer.CatalogServiceInstanceListSupplier;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.kubernetes.EndpointSlices;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * How fast an EndpointSlice change reaches {@code DiscoveryClient} and the LoadBalancer supplier, against fabric8's
 * mock API server (CRUD mode, on 127.0.0.1), compared with the same change reaching a bare fabric8 informer on the
 * same Service in the same run: the baseline, everything but our aggregation.
 * <ol>
 * <li>Propagation: {@code changes} sequential updates of a one-slice Service, each moving one pod to a new address;
 * time from the start of the update (GET and PUT by an admin client) until each reader sees the new address.</li>
 * <li>Steady state: API requests made by {@code getInstances} and by the supplier, per call.</li>
 * <li>A large Service: 1,000 endpoints in 10 slices of 100, {@code updates} updates each flipping one pod's
 * readiness.</li>
 * </ol>
 * Run: {@code java -cp discovery-benchmarks/target/classes:$(cat discovery-benchmarks/target/classpath.txt)
 * io.github.rpcdiscovery.bench.kubernetes.KubernetesPropagationBenchmark [changes] [updates]}
 */
public final class KubernetesPropagationBenchmark {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final String NAMESPACE = "bench";

	private final MockKubernetes cluster;

	private final KubernetesClient appClient;

	private final KubernetesClient baselineClient;

	private KubernetesPropagationBenchmark(MockKubernetes cluster) {
		this.cluster = cluster;
		this.appClient = new KubernetesClientBuilder().withConfig(cluster.directClientConfig("app")).build();
		this.baselineClient = new KubernetesClientBuilder().withConfig(cluster.directClientConfig("baseline")).build();
	}

	public static void main(String[] args) throws Exception {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(Level.WARN);
		int changes = (args.length > 0) ? Integer.parseInt(args[0]) : 500;
		int updates = (args.length > 1) ? Integer.parseInt(args[1]) : 100;
		try (MockKubernetes cluster = MockKubernetes.start()) {
			KubernetesPropagationBenchmark benchmark = new KubernetesPropagationBenchmark(cluster);
			try {
				benchmark.propagation(changes);
				benchmark.largeService(updates);
			}
			finally {
				benchmark.appClient.close();
				benchmark.baselineClient.close();
			}
		}
		System.exit(0);
	}

	private void propagation(int changes) throws Exception {
		String service = "small";
		this.cluster.apply(smallSlice(service, 0));
		try (Readers readers = new Readers(service)) {
			// warm up: JIT, connections
			for (int i = 1; i <= 50; i++) {
				change(readers, service, i);
			}
			double[] baseline = new double[changes];
			double[] discovery = new double[changes];
			double[] supplier = new double[changes];
			double[] extra = new double[changes];
			for (int i = 0; i < changes; i++) {
				long[] times = change(readers, service, 51 + i);
				baseline[i] = millis(times[1] - times[0]);
				discovery[i] = millis(times[2] - times[0]);
				supplier[i] = millis(times[3] - times[0]);
				extra[i] = millis(Math.max(times[2], times[3]) - times[1]);
			}
			System.out.println("\n### 1. A slice change reaching the readers (" + changes
					+ " changes, one pod moved each time; update = GET + PUT by another client)\n");
			Table table = new Table("reader", "p50 ms", "p99 ms", "max ms", "p99 / baseline p99");
			row(table, "baseline: bare fabric8 informer on the same Service", baseline, baseline);
			row(table, "DiscoveryClient.getInstances", discovery, baseline);
			row(table, "LoadBalancer supplier (Flux emission)", supplier, baseline);
			row(table, "both ours, minus the baseline (same change)", extra, null);
			System.out.print(table);

			steadyState(readers, service);
		}
	}

	private void steadyState(Readers readers, String service) {
		int calls = 200_000;
		int before = this.cluster.requestCount();
		long started = System.nanoTime();
		int seen = 0;
		for (int i = 0; i < calls; i++) {
			seen += readers.client.getInstances(service).size();
		}
		long discoveryNanos = System.nanoTime() - started;
		int afterDiscovery = this.cluster.requestCount();
		started = System.nanoTime();
		for (int i = 0; i < calls / 100; i++) {
			seen += readers.supplier.get().blockFirst(DEADLINE).size();
		}
		long supplierNanos = System.nanoTime() - started;
		int afterSupplier = this.cluster.requestCount();
		System.out.println("\n### 2. Steady state: API requests per read (" + calls + " getInstances, " + calls / 100
				+ " supplier reads; " + seen + " instances seen)\n");
		Table table = new Table("read", "API requests during the reads", "per read", "ns per read");
		table.row("DiscoveryClient.getInstances", afterDiscovery - before, (afterDiscovery - before) / (double) calls,
				discoveryNanos / calls);
		table.row("LoadBalancer supplier get().blockFirst()", afterSupplier - afterDiscovery,
				(afterSupplier - afterDiscovery) / (double) (calls / 100), supplierNanos / (calls / 100));
		System.out.print(table);
	}

	private void largeService(int updates) throws Exception {
		String service = "large";
		int slices = 10;
		int perSlice = 100;
		for (int s = 0; s < slices; s++) {
			this.cluster.apply(largeSlice(service, s, perSlice, -1));
		}
		try (Readers readers = new Readers(service)) {
			if (readers.client.getInstances(service).size() != slices * perSlice) {
				throw new IllegalStateException("expected " + slices * perSlice + " instances");
			}
			double[] baseline = new double[updates];
			double[] discovery = new double[updates];
			double[] extra = new double[updates];
			for (int k = 0; k < updates + 20; k++) {
				// even updates make one pod unready, odd ones make it ready again: 999, 1000, 999, ...
				int slice = (k / 2) % slices;
				int notReady = (k % 2 == 0) ? (k / 2) % perSlice : -1;
				int expected = slices * perSlice - ((notReady >= 0) ? 1 : 0);
				int sliceReady = perSlice - ((notReady >= 0) ? 1 : 0);
				String name = service + "-" + slice;
				CompletableFuture<Long> raw = readers.baselineSees(
						(s) -> s.getMetadata().getName().equals(name) && ready(s) == sliceReady);
				CompletableFuture<Long> ours = readers.catalogSees((list) -> list.size() == expected);
				long started = System.nanoTime();
				this.cluster.admin().resource(largeSlice(service, slice, perSlice, notReady)).update();
				long rawAt = raw.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
				long oursAt = ours.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
				if (k >= 20) {
					baseline[k - 20] = millis(rawAt - started);
					discovery[k - 20] = millis(oursAt - started);
					extra[k - 20] = millis(oursAt - rawAt);
				}
			}
			System.out.println("\n### 3. One Service, " + slices * perSlice + " endpoints in " + slices
					+ " slices of " + perSlice + ": " + updates + " updates, each flipping one pod's readiness\n");
			Table table = new Table("reader", "p50 ms", "p99 ms", "max ms", "p99 / baseline p99");
			row(table, "baseline: bare fabric8 informer (event for the slice)", baseline, baseline);
			row(table, "DiscoveryClient (all slices aggregated, diffed)", discovery, baseline);
			row(table, "ours minus the baseline (same update)", extra, null);
			System.out.print(table);
		}
	}

	private long[] change(Readers readers, String service, int i) throws Exception {
		String address = moved(i);
		CompletableFuture<Long> raw = readers.baselineSees((slice) -> slice.getEndpoints()
			.stream()
			.anyMatch((e) -> e.getAddresses().get(0).equals(address)));
		CompletableFuture<Long> ours = readers.catalogSees((list) -> contains(list, address));
		CompletableFuture<Long> lb = readers.supplierSees((list) -> contains(list, address));
		long started = System.nanoTime();
		this.cluster.admin().resource(smallSlice(service, i)).update();
		return new long[] { started, raw.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
				ours.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), lb.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) };
	}

	private static boolean contains(List<ServiceInstance> instances, String address) {
		for (ServiceInstance instance : instances) {
			if (instance.getHost().equals(address)) {
				return true;
			}
		}
		return false;
	}

	private static int ready(EndpointSlice slice) {
		return (int) slice.getEndpoints().stream().filter((e) -> Boolean.TRUE.equals(e.getConditions().getReady())).count();
	}

	/** A pod that moves to a new loopback address with every change, next to one that stays. */
	private static EndpointSlice smallSlice(String service, int i) {
		return EndpointSlices.slice(NAMESPACE, service, service + "-a")
			.port("http", 8080)
			.ready("127.0.0.2", "stays")
			.ready(moved(i), "moves")
			.build();
	}

	private static String moved(int i) {
		return "127.0.1." + (i % 250 + 1);
	}

	private static EndpointSlice largeSlice(String service, int slice, int size, int notReady) {
		EndpointSlices builder = EndpointSlices.slice(NAMESPACE, service, service + "-" + slice).port("http", 8080);
		for (int e = 0; e < size; e++) {
			String address = "127.0." + (10 + slice) + "." + (e + 1);
			String pod = service + "-" + slice + "-" + e;
			if (e == notReady) {
				builder.notReady(address, pod);
			}
			else {
				builder.ready(address, pod);
			}
		}
		return builder.build();
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	private static void row(Table table, String label, double[] values, double[] baseline) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		String ratio = "";
		if (baseline != null) {
			double[] base = baseline.clone();
			Arrays.sort(base);
			ratio = String.format("%.2f", Table.percentile(sorted, 99) / Table.percentile(base, 99));
		}
		table.row(label, String.format("%.2f", Table.percentile(sorted, 50)),
				String.format("%.2f", Table.percentile(sorted, 99)), String.format("%.2f", sorted[sorted.length - 1]),
				ratio);
	}

	/** The three readers of one Service, and the baseline informer. */
	private final class Readers implements AutoCloseable {

		final ServiceCatalog catalog = new ServiceCatalog();

		final KubernetesDiscoverySource source;

		final ServiceDiscovery discovery;

		final RpcDiscoveryClient client;

		final CatalogServiceInstanceListSupplier supplier;

		final SharedIndexInformer<EndpointSlice> baseline;

		final Disposable subscription;

		private final List<Waiter<EndpointSlice>> baselineWaiters = new ArrayList<>();

		private final List<Waiter<List<ServiceInstance>>> catalogWaiters = new ArrayList<>();

		private final List<Waiter<List<ServiceInstance>>> supplierWaiters = new ArrayList<>();

		Readers(String service) throws Exception {
			this.source = new KubernetesDiscoverySource(KubernetesPropagationBenchmark.this.appClient, this.catalog,
					KubernetesProperties.defaults());
			DiscoveryPlan plan = new DiscoveryPlan(
					List.of(new Upstream(service, new KubernetesTarget(NAMESPACE, service, 8080), "bench")), null,
					null);
			this.discovery = new ServiceDiscovery(this.catalog, plan, List.<DiscoverySource>of(this.source),
					Duration.ofSeconds(10));
			this.discovery.start();
			this.client = new RpcDiscoveryClient(this.discovery, 0);
			// checked through DiscoveryClient, at the moment the catalog tells its listeners: visible to callers
			this.catalog.addListener(service, (change) -> offer(this.catalogWaiters, this.client.getInstances(service)));
			this.supplier = new CatalogServiceInstanceListSupplier(service, this.discovery);
			this.subscription = this.supplier.get().subscribe((list) -> offer(this.supplierWaiters, list));
			this.baseline = KubernetesPropagationBenchmark.this.baselineClient.discovery()
				.v1()
				.endpointSlices()
				.inNamespace(NAMESPACE)
				.withLabel(EndpointSlices.SERVICE_NAME_LABEL, service)
				.inform(new ResourceEventHandler<>() {

					@Override
					public void onAdd(EndpointSlice slice) {
						offer(Readers.this.baselineWaiters, slice);
					}

					@Override
					public void onUpdate(EndpointSlice before, EndpointSlice slice) {
						offer(Readers.this.baselineWaiters, slice);
					}

					@Override
					public void onDelete(EndpointSlice slice, boolean unknown) {
					}

				});
			this.discovery.whenLoaded(service).get(10, TimeUnit.SECONDS);
		}

		CompletableFuture<Long> baselineSees(Predicate<EndpointSlice> condition) {
			return waitFor(this.baselineWaiters, condition);
		}

		CompletableFuture<Long> catalogSees(Predicate<List<ServiceInstance>> condition) {
			return waitFor(this.catalogWaiters, condition);
		}

		CompletableFuture<Long> supplierSees(Predicate<List<ServiceInstance>> condition) {
			return waitFor(this.supplierWaiters, condition);
		}

		private <T> CompletableFuture<Long> waitFor(List<Waiter<T>> waiters, Predicate<T> condition) {
			Waiter<T> waiter = new Waiter<>(condition, new CompletableFuture<>());
			synchronized (waiters) {
				waiters.add(waiter);
			}
			return waiter.seen;
		}

		private <T> void offer(List<Waiter<T>> waiters, T value) {
			long now = System.nanoTime();
			synchronized (waiters) {
				waiters.removeIf((waiter) -> waiter.condition.test(value) && waiter.seen.complete(now));
			}
		}

		@Override
		public void close() {
			this.subscription.dispose();
			this.baseline.close();
			this.supplier.destroy();
			this.discovery.close();
		}

	}

	private record Waiter<T>(Predicate<T> condition, CompletableFuture<Long> seen) {

	}

}

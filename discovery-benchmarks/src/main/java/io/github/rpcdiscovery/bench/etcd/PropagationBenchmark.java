package io.github.rpcdiscovery.bench.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.cloud.SpringCloudInstances;
import io.github.rpcdiscovery.core.CatalogChange;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.loadbalancer.CatalogServiceInstanceListSupplier;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import reactor.core.Disposable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Propagation: from a put (a server registering, on its own lease) or a lease revoke (a server leaving) in etcd to the
 * change being visible in {@code DiscoveryClient.getInstances} and emitted by the LoadBalancer supplier, beside a raw
 * jetcd prefix watch on its own connection in the same run (the floor: what etcd and gRPC cost).
 * <p>
 * Every latency starts at the same instant, just before the write is sent, so the write's round trip is in all of them
 * and the difference to the raw watch is what this library adds. Changes alternate add/remove on a service of 10
 * instances. The warm-up changes run back to back, unmeasured, so that the JIT has compiled the path (a long-running
 * application's state); the measured ones are paced at a fixed rate. The table also shows a raw watch on the
 * discovery's own jetcd client, which separates what the connection costs from what the library adds in process.
 * <pre>
 * java -cp ... io.github.rpcdiscovery.bench.etcd.PropagationBenchmark [changes=1000] [perSecond=100] [warmup=4000]
 * </pre>
 */
public final class PropagationBenchmark {

	private static final String SERVICE = "bench.rpc";

	private PropagationBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int measured = intArg(args, 0, 1000);
		int perSecond = intArg(args, 1, 100);
		int warmup = intArg(args, 2, 4000);
		int total = warmup + measured + ((warmup + measured) % 2);
		try (EtcdProcess etcd = EtcdProcess.startSingle();
				Client writer = EtcdDiscoveryStack.rawClient(etcd.hostAndPort());
				Client raw = EtcdDiscoveryStack.rawClient(etcd.hostAndPort());
				EtcdDiscoveryStack stack = new EtcdDiscoveryStack(List.of(etcd.hostAndPort()))) {
			Client shared = stack.connections.client(EtcdCluster.of(List.of(etcd.hostAndPort())));
			new PropagationBenchmark.Run(writer, raw, shared, stack, total, perSecond).execute(warmup);
		}
		System.exit(0);
	}

	static int intArg(String[] args, int index, int fallback) {
		return (args.length > index) ? Integer.parseInt(args[index]) : fallback;
	}

	static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static final class Run {

		private final Client writer;

		private final Client raw;

		private final Client shared;

		private final EtcdDiscoveryStack stack;

		private final int total;

		private final int perSecond;

		private final long[] leases;

		private final AtomicLongArray sent;

		private final AtomicLongArray rawSeen;

		private final AtomicLongArray sharedSeen;

		private final AtomicLongArray clientSeen;

		private final AtomicLongArray supplierSeen;

		/** change index by "+key" / "-key" (raw watch) and "+address" / "-address" (catalog, supplier) */
		private final Map<String, Integer> index = new ConcurrentHashMap<>();

		Run(Client writer, Client raw, Client shared, EtcdDiscoveryStack stack, int total, int perSecond) {
			this.writer = writer;
			this.raw = raw;
			this.shared = shared;
			this.stack = stack;
			this.total = total;
			this.perSecond = perSecond;
			this.leases = new long[total];
			this.sent = new AtomicLongArray(total);
			this.rawSeen = new AtomicLongArray(total);
			this.sharedSeen = new AtomicLongArray(total);
			this.clientSeen = new AtomicLongArray(total);
			this.supplierSeen = new AtomicLongArray(total);
		}

		void execute(int warmup) throws Exception {
			for (int i = 1; i <= 10; i++) {
				this.writer.getKVClient().put(bytes(SERVICE + "/base" + i), bytes("127.0.0.1:" + (10000 + i)))
					.get(5, TimeUnit.SECONDS);
			}
			for (int i = 0; i < this.total; i += 2) {
				String key = SERVICE + "/" + i;
				String address = "127.0.0.2:" + (20000 + i);
				this.index.put("+" + key, i);
				this.index.put("-" + key, i + 1);
				this.index.put("+" + address, i);
				this.index.put("-" + address, i + 1);
				this.leases[i] = this.writer.getLeaseClient().grant(600).get(5, TimeUnit.SECONDS).getID();
			}
			Watch.Watcher rawWatch = rawWatch(this.raw, this.rawSeen);
			Watch.Watcher sharedWatch = rawWatch(this.shared, this.sharedSeen);
			if (this.stack.client.getInstances(SERVICE).size() != 10) {
				throw new IllegalStateException("the first load did not see the 10 base instances");
			}
			this.stack.catalog.addListener(SERVICE, this::onCatalogChange);
			CatalogServiceInstanceListSupplier supplier = new CatalogServiceInstanceListSupplier(SERVICE,
					this.stack.discovery);
			Set<String> previous = new HashSet<>();
			Disposable subscription = supplier.get().subscribe((list) -> onSupplied(previous, list));

			drive(warmup);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!allSeen() && System.nanoTime() < deadline) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
			subscription.dispose();
			supplier.destroy();
			rawWatch.close();
			sharedWatch.close();
			print(warmup);
		}

		private Watch.Watcher rawWatch(Client client, AtomicLongArray seen) {
			return client.getWatchClient()
				.watch(bytes(SERVICE + "/"), WatchOption.builder().isPrefix(true).build(), (response) -> {
					long now = System.nanoTime();
					for (WatchEvent event : response.getEvents()) {
						String sign = (event.getEventType() == WatchEvent.EventType.PUT) ? "+" : "-";
						mark(seen, sign + event.getKeyValue().getKey().toString(StandardCharsets.UTF_8), now);
					}
				});
		}

		/** Warm-up changes back to back (the JIT compiles the path), then the measured ones at the given rate. */
		private void drive(int warmup) throws Exception {
			for (int i = 0; i < warmup; i++) {
				change(i);
			}
			ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
			CountDownLatch done = new CountDownLatch(this.total - warmup);
			AtomicInteger next = new AtomicInteger(warmup);
			long periodNanos = TimeUnit.SECONDS.toNanos(1) / this.perSecond;
			pacer.scheduleAtFixedRate(() -> {
				int i = next.getAndIncrement();
				if (i >= this.total) {
					return;
				}
				try {
					change(i);
				}
				catch (Exception ex) {
					System.err.println("change " + i + " failed: " + ex);
				}
				done.countDown();
			}, 0, periodNanos, TimeUnit.NANOSECONDS);
			done.await();
			pacer.shutdownNow();
		}

		private void change(int i) throws Exception {
			if (i % 2 == 0) {
				PutOption withLease = PutOption.builder().withLeaseId(this.leases[i]).build();
				this.sent.set(i, System.nanoTime());
				this.writer.getKVClient()
					.put(bytes(SERVICE + "/" + i), bytes("127.0.0.2:" + (20000 + i)), withLease)
					.get(5, TimeUnit.SECONDS);
			}
			else {
				this.sent.set(i, System.nanoTime());
				this.writer.getLeaseClient().revoke(this.leases[i - 1]).get(5, TimeUnit.SECONDS);
			}
		}

		private void onCatalogChange(CatalogChange change) {
			long now = System.nanoTime();
			// visible to DiscoveryClient: it reads the snapshot the catalog has just published
			List<ServiceInstance> visible = this.stack.client.getInstances(SERVICE);
			for (DiscoveredInstance discovered : change.added()) {
				ServiceInstance added = SpringCloudInstances.instance(discovered);
				if (visible.contains(added)) {
					mark(this.clientSeen, "+" + address(added), now);
				}
			}
			for (DiscoveredInstance discovered : change.removed()) {
				ServiceInstance removed = SpringCloudInstances.instance(discovered);
				if (!visible.contains(removed)) {
					mark(this.clientSeen, "-" + address(removed), now);
				}
			}
		}

		private void onSupplied(Set<String> previous, List<ServiceInstance> list) {
			long now = System.nanoTime();
			Set<String> current = new HashSet<>();
			list.forEach((instance) -> current.add(address(instance)));
			for (String address : current) {
				if (!previous.contains(address)) {
					mark(this.supplierSeen, "+" + address, now);
				}
			}
			for (String address : previous) {
				if (!current.contains(address)) {
					mark(this.supplierSeen, "-" + address, now);
				}
			}
			previous.clear();
			previous.addAll(current);
		}

		private void mark(AtomicLongArray seen, String what, long now) {
			Integer i = this.index.get(what);
			if (i != null) {
				seen.compareAndSet(i, 0, now);
			}
		}

		private static String address(ServiceInstance instance) {
			return instance.getHost() + ":" + instance.getPort();
		}

		private boolean allSeen() {
			for (int i = 0; i < this.total; i++) {
				if (this.rawSeen.get(i) == 0 || this.sharedSeen.get(i) == 0 || this.clientSeen.get(i) == 0
						|| this.supplierSeen.get(i) == 0) {
					return false;
				}
			}
			return true;
		}

		private void print(int warmup) {
			double[] rawMs = latencies(this.rawSeen, warmup);
			double[] sharedMs = latencies(this.sharedSeen, warmup);
			double[] clientMs = latencies(this.clientSeen, warmup);
			double[] supplierMs = latencies(this.supplierSeen, warmup);
			System.out.printf("%nPropagation, %d changes (after %d unmeasured warm-up) at %d changes/s, half put, half lease"
					+ " revoke; latency from just before the write to visible%n%n", rawMs.length, warmup,
					this.perSecond);
			Table table = new Table("path", "p50 ms", "p99 ms", "max ms", "missed", "p99 minus raw p99 ms");
			row(table, "raw jetcd watch, own client (baseline)", rawMs, this.rawSeen, rawMs, warmup);
			row(table, "raw jetcd watch, the discovery's client", sharedMs, this.sharedSeen, rawMs, warmup);
			row(table, "DiscoveryClient.getInstances", clientMs, this.clientSeen, rawMs, warmup);
			row(table, "LoadBalancer supplier", supplierMs, this.supplierSeen, rawMs, warmup);
			System.out.println(table);
			Table overhead = new Table("added per change, over", "p50 ms", "p99 ms", "max ms");
			double[] overOwn = millisBetween(this.rawSeen, this.clientSeen, warmup);
			overhead.row("DiscoveryClient over raw watch, own client", ms(overOwn, 50), ms(overOwn, 99),
					ms(overOwn, 100));
			double[] inProcess = millisBetween(this.sharedSeen, this.clientSeen, warmup);
			overhead.row("DiscoveryClient over raw watch, same client", ms(inProcess, 50), ms(inProcess, 99),
					ms(inProcess, 100));
			double[] supplier = millisBetween(this.sharedSeen, this.supplierSeen, warmup);
			overhead.row("LoadBalancer supplier over raw watch, same client", ms(supplier, 50), ms(supplier, 99),
					ms(supplier, 100));
			System.out.println(overhead);
		}

		private void row(Table table, String name, double[] sorted, AtomicLongArray seen, double[] rawMs,
				int warmup) {
			table.row(name, ms(sorted, 50), ms(sorted, 99), ms(sorted, 100), missed(seen, warmup),
					String.format("%+.2f", Table.percentile(sorted, 99) - Table.percentile(rawMs, 99)));
		}

		private double[] latencies(AtomicLongArray seen, int warmup) {
			return millisBetween(this.sent, seen, warmup);
		}

		/** Per measured change that has both times: {@code to - from} in milliseconds, sorted. */
		private double[] millisBetween(AtomicLongArray from, AtomicLongArray to, int warmup) {
			List<Double> values = new ArrayList<>();
			for (int i = warmup; i < this.total; i++) {
				if (from.get(i) != 0 && to.get(i) != 0) {
					values.add((to.get(i) - from.get(i)) / 1e6);
				}
			}
			return sorted(values);
		}

		private int missed(AtomicLongArray seen, int warmup) {
			int missed = 0;
			for (int i = warmup; i < this.total; i++) {
				if (seen.get(i) == 0) {
					missed++;
				}
			}
			return missed;
		}

		private static double[] sorted(List<Double> values) {
			double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
			Arrays.sort(array);
			return array;
		}

		private static String ms(double[] sorted, double percentile) {
			return String.format("%.2f", Table.percentile(sorted, percentile));
		}

	}

}

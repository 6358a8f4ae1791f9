package io.github.rpcdiscovery.bench.etcd;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.WatchOption;
import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.InstanceSnapshot;
import io.github.rpcdiscovery.etcd.InstanceMetadataCodec;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;


/**
 * Scale: one client discovering {@code services} services of {@code instances} instances each.
 * <ul>
 * <li>cold load: from the first lookup of every service to all of them loaded, beside a raw jetcd client making the
 * same requests (batched prefix reads, a watch per service key and one for the metadata) in the same run;</li>
 * <li>heap per instance: heap used after a full GC, before and after loading everything, divided by the number of
 * instances (so it includes every per-service cost: watches, mirrors, snapshots);</li>
 * <li>churn: {@code rate} changes per second (value changes, deletes and re-adds) for {@code seconds} seconds, then
 * the whole view compared with what etcd holds.</li>
 * </ul>
 * <pre>
 * java -Xmx1g -cp ... io.github.rpcdiscovery.bench.etcd.ScaleBenchmark [services=1000] [instances=10] [rate=1000] [seconds=30]
 * </pre>
 */
public final class ScaleBenchmark {

	private ScaleBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int services = PropagationBenchmark.intArg(args, 0, 1000);
		int instances = PropagationBenchmark.intArg(args, 1, 10);
		int rate = PropagationBenchmark.intArg(args, 2, 1000);
		int seconds = PropagationBenchmark.intArg(args, 3, 30);
		Table table = new Table("measure", "value", "baseline (same run)", "goal");
		try (EtcdProcess etcd = EtcdProcess.startSingle("--quota-backend-bytes=4294967296");
				Client writer = EtcdDiscoveryStack.rawClient(etcd.hostAndPort())) {
			populate(writer, services, instances);
			long rawNanos;
			try (Client raw = EtcdDiscoveryStack.rawClient(etcd.hostAndPort())) {
				rawNanos = rawColdLoad(raw, services);
			}
			try (EtcdDiscoveryStack stack = new EtcdDiscoveryStack(List.of(etcd.hostAndPort()))) {
				// connect and warm the code paths on a service outside the measured set
				stack.discovery.whenLoaded("warmup.rpc").get(10, TimeUnit.SECONDS);
				long heapBefore = usedHeapAfterGc();
				long start = System.nanoTime();
				List<CompletableFuture<InstanceSnapshot>> loads = new ArrayList<>();
				for (int s = 0; s < services; s++) {
					loads.add(stack.discovery.whenLoaded(service(s)));
				}
				CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
				long coldNanos = System.nanoTime() - start;
				int loaded = 0;
				for (int s = 0; s < services; s++) {
					loaded += stack.client.getInstances(service(s)).size();
				}
				long heapAfter = usedHeapAfterGc();
				double perInstance = (heapAfter - heapBefore) / (double) (services * instances);
				table.row("cold load of " + services + " x " + instances + " (" + loaded + " instances)",
						millis(coldNanos), millis(rawNanos) + " raw jetcd, same requests", "<= 1000 ms");
				table.row("cold load ratio to raw", String.format("%.2f", coldNanos / (double) rawNanos), "1.00", "");
				table.row("heap per instance", String.format("%.0f B", perInstance),
						String.format("%.1f MB in all", (heapAfter - heapBefore) / 1e6), "<= 1024 B");

				Churn churn = new Churn(writer, services, instances, rate, seconds).run();
				long convergeStart = System.nanoTime();
				Map<String, List<String>> truth = truth(writer, services);
				int mismatches = Integer.MAX_VALUE;
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while (mismatches != 0 && System.nanoTime() < deadline) {
					mismatches = mismatches(stack, truth);
					if (mismatches != 0) {
						LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
					}
				}
				long convergeNanos = System.nanoTime() - convergeStart;
				table.row("churn: changes written", churn.written + " in " + seconds + " s (" + churn.failed
						+ " failed)", String.format("%.0f/s achieved", churn.written / churn.elapsedSeconds),
						rate + "/s for " + seconds + " s");
				table.row("churn: view equal to etcd after", (mismatches == 0) ? "yes, all " + services
						+ " services" : "NO: " + mismatches + " services differ", millis(convergeNanos)
						+ " after the last write", "equal");
			}
		}
		System.out.println();
		System.out.println("Scale, one client, production settings");
		System.out.println();
		System.out.println(table);
		System.exit(0);
	}

	static String service(int s) {
		return "svc" + s + ".rpc";
	}

	static String address(int s, int port) {
		return "127.0." + (s / 250) + "." + (s % 250 + 1) + ":" + port;
	}

	private static void populate(Client writer, int services, int instances) throws Exception {
		Semaphore inFlight = new Semaphore(256);
		CountDownLatch done = new CountDownLatch(services * instances);
		for (int s = 0; s < services; s++) {
			for (int i = 0; i < instances; i++) {
				inFlight.acquire();
				writer.getKVClient()
					.put(bytes(service(s) + "/" + i), bytes(address(s, 10000 + i)))
					.whenComplete((response, failure) -> {
						inFlight.release();
						done.countDown();
					});
			}
		}
		if (!done.await(120, TimeUnit.SECONDS)) {
			throw new IllegalStateException("populating etcd timed out");
		}
	}

	/**
	 * The floor: a plain jetcd client making the requests the library makes for a cold load: the prefixes read in
	 * read-only transactions of 64, 4 in flight, and a watch started for each service key and one for the metadata as
	 * each read returns. Like the library's cold load, it is done when every read has returned.
	 */
	private static long rawColdLoad(Client raw, int services) throws Exception {
		raw.getKVClient().get(bytes("warmup")).get(10, TimeUnit.SECONDS);
		List<String> prefixes = new ArrayList<>();
		prefixes.add(InstanceMetadataCodec.ROOT);
		for (int s = 0; s < services; s++) {
			prefixes.add(service(s) + "/");
		}
		List<Watch.Watcher> watchers = Collections.synchronizedList(new ArrayList<>());
		Semaphore inFlight = new Semaphore(4);
		CountDownLatch read = new CountDownLatch(prefixes.size());
		long start = System.nanoTime();
		for (int from = 0; from < prefixes.size(); from += 64) {
			List<String> batch = prefixes.subList(from, Math.min(prefixes.size(), from + 64));
			Op[] reads = batch.stream()
				.map((prefix) -> Op.get(bytes(prefix),
						GetOption.builder().withRange(OptionsUtil.prefixEndOf(bytes(prefix))).withLimit(128).build()))
				.toArray(Op[]::new);
			inFlight.acquire();
			raw.getKVClient().txn().Then(reads).commit().thenAccept((response) -> {
				WatchOption option = WatchOption.builder()
					.isPrefix(true)
					.withRevision(response.getHeader().getRevision() + 1)
					.build();
				for (String prefix : batch) {
					watchers.add(raw.getWatchClient().watch(bytes(prefix), option, (event) -> {
					}));
					read.countDown();
				}
			}).whenComplete((ignored, failure) -> inFlight.release());
		}
		if (!read.await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("raw reads did not all return");
		}
		long elapsed = System.nanoTime() - start;
		watchers.forEach(Watch.Watcher::close);
		return elapsed;
	}

	private static Map<String, List<String>> truth(Client reader, int services) throws Exception {
		Map<String, TreeSet<String>> values = new TreeMap<>();
		for (int s = 0; s < services; s++) {
			values.put(service(s), new TreeSet<>());
		}
		ByteSequence from = bytes("svc");
		for (KeyValue entry : reader.getKVClient()
			.get(from, GetOption.builder().withRange(OptionsUtil.prefixEndOf(from)).build())
			.get(30, TimeUnit.SECONDS)
			.getKvs()) {
			String key = entry.getKey().toString(StandardCharsets.UTF_8);
			TreeSet<String> set = values.get(key.substring(0, key.indexOf('/')));
			HostAndPort address = HostAndPort.parseOrNull(entry.getValue().toString(StandardCharsets.UTF_8));
			if (set != null && address != null) {
				set.add(address.toString());
			}
		}
		Map<String, List<String>> truth = new TreeMap<>();
		values.forEach((service, set) -> truth.put(service, List.copyOf(set)));
		return truth;
	}

	private static int mismatches(EtcdDiscoveryStack stack, Map<String, List<String>> truth) {
		int mismatches = 0;
		for (Map.Entry<String, List<String>> service : truth.entrySet()) {
			TreeSet<String> seen = new TreeSet<>();
			for (DiscoveredInstance instance : stack.catalog.instances(service.getKey())) {
				seen.add(instance.getHost() + ":" + instance.getPort());
			}
			if (!List.copyOf(seen).equals(service.getValue())) {
				mismatches++;
			}
		}
		return mismatches;
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static String millis(long nanos) {
		return String.format("%.0f ms", nanos / 1e6);
	}

	private static ByteSequence bytes(String text) {
		return PropagationBenchmark.bytes(text);
	}

	/** Writes changes at a fixed rate: value changes mostly, some deletes and re-adds, spread over all services. */
	private static final class Churn {

		private final Client writer;

		private final int services;

		private final int instances;

		private final int rate;

		private final int seconds;

		int written;

		int failed;

		double elapsedSeconds;

		Churn(Client writer, int services, int instances, int rate, int seconds) {
			this.writer = writer;
			this.services = services;
			this.instances = instances;
			this.rate = rate;
			this.seconds = seconds;
		}

		Churn run() throws Exception {
			Random random = new Random(42);
			Semaphore inFlight = new Semaphore(512);
			AtomicInteger failures = new AtomicInteger();
			int total = this.rate * this.seconds;
			long periodNanos = TimeUnit.SECONDS.toNanos(1) / this.rate;
			long start = System.nanoTime();
			for (int n = 0; n < total; n++) {
				long due = start + n * periodNanos;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				int s = random.nextInt(this.services);
				int i = random.nextInt(this.instances);
				ByteSequence key = bytes(service(s) + "/" + i);
				inFlight.acquire();
				CompletableFuture<?> write = (n % 5 == 4) ? this.writer.getKVClient().delete(key)
						: this.writer.getKVClient().put(key, bytes(address(s, 10000 + random.nextInt(50000))));
				write.whenComplete((response, failure) -> {
					if (failure != null) {
						failures.incrementAndGet();
					}
					inFlight.release();
				});
			}
			inFlight.acquire(512);
			this.elapsedSeconds = (System.nanoTime() - start) / 1e9;
			this.written = total;
			this.failed = failures.get();
			return this;
		}

	}

}

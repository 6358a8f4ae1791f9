package io.github.rpcdiscovery.bench.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

/**
 * Server added / removed in etcd → a gRPC channel's picker updated. Three servers stay registered; a fourth is added
 * (a put on its own lease, go-zero's layout) and removed (its lease revoked) in turn, at a fixed rate, while a channel
 * on {@code etcd:///<host>?key=bench.rpc} with {@code p2c_ewma} follows. Every latency starts just before the write:
 * <ul>
 * <li>raw watch: a jetcd prefix watch on its own connection sees the event (the floor: etcd and its gRPC);</li>
 * <li>catalog: the starter's catalog changed;</li>
 * <li>picker: the channel's balancer handed over a picker that can (add: after connecting) or can no longer (remove)
 * choose the server.</li>
 * </ul>
 * <pre>
 * java -cp ... io.github.rpcdiscovery.bench.grpc.GrpcPickerPropagationBenchmark [changes=200] [perSecond=10] [warmup=40]
 * </pre>
 */
public final class GrpcPickerPropagationBenchmark {

	private static final String KEY = "bench.rpc";

	private GrpcPickerPropagationBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int measured = intArg(args, 0, 200);
		int perSecond = intArg(args, 1, 10);
		int warmup = intArg(args, 2, 40);
		int total = (warmup + measured + 1) / 2 * 2;
		try (EtcdProcess etcd = EtcdProcess.startSingle();
				Client writer = Client.builder().endpoints("http://" + etcd.hostAndPort()).build();
				Client raw = Client.builder().endpoints("http://" + etcd.hostAndPort()).build();
				EtcdConnections connections = new EtcdConnections()) {
			ServiceCatalog catalog = new ServiceCatalog();
			ServiceDiscovery discovery = new ServiceDiscovery(catalog, new DiscoveryPlan(List.of(), null, null),
					List.of(new EtcdDiscoverySource(catalog, connections)), Duration.ofSeconds(10));
			List<GrpcBackend> stable = List.of(GrpcBackend.start("127.0.0.1"), GrpcBackend.start("127.0.0.2"),
					GrpcBackend.start("127.0.0.3"));
			GrpcBackend moving = GrpcBackend.start("127.0.0.4");
			for (int i = 0; i < stable.size(); i++) {
				long lease = writer.getLeaseClient().grant(600).get(5, TimeUnit.SECONDS).getID();
				put(writer, KEY + "/stable" + i, stable.get(i).address(), lease);
			}
			Changes changes = new Changes(total, moving.address());
			Watch.Watcher watcher = raw.getWatchClient()
				.watch(bytes(KEY + "/"), WatchOption.builder().isPrefix(true).build(), (response) -> {
					long now = System.nanoTime();
					for (WatchEvent event : response.getEvents()) {
						changes.rawSeen(event.getEventType() == WatchEvent.EventType.PUT, now);
					}
				});
			String target = "etcd:///" + etcd.hostAndPort() + "?key=" + KEY;
			// a target outside the plan is catalogued under its own text
			catalog.addListener(target, (change) -> changes.catalogSeen(change.added().size() > 0, System.nanoTime()));
			PickerProbe probe = PickerProbe.register("p2c_ewma", changes::pickerSeen);
			try (GrpcNameResolvers resolvers = GrpcNameResolvers.registerDefault(discovery)) {
				ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
					.defaultLoadBalancingPolicy(PickerProbe.POLICY)
					.build();
				channel.getState(true);
				changes.awaitStable(stable.size());
				long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
				long lease = 0;
				long next = System.nanoTime();
				for (int i = 0; i < total; i++) {
					long delay = next - System.nanoTime();
					if (delay > 0) {
						LockSupport.parkNanos(delay);
					}
					next += period;
					changes.start(i);
					if (i % 2 == 0) {
						lease = writer.getLeaseClient().grant(600).get(5, TimeUnit.SECONDS).getID();
						put(writer, KEY + "/moving" + i, moving.address(), lease);
					}
					else {
						writer.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
					}
					changes.awaitDone(i, Duration.ofSeconds(5));
				}
				channel.shutdownNow();
				print(changes, warmup, total, perSecond);
			}
			finally {
				io.grpc.LoadBalancerRegistry.getDefaultRegistry().deregister(probe);
				watcher.close();
				discovery.close();
				stable.forEach(GrpcBackend::close);
				moving.close();
			}
		}
		System.exit(0);
	}

	private static void print(Changes changes, int warmup, int total, int perSecond) {
		Table table = new Table("server … in etcd → stage", "n", "p50 ms", "p99 ms", "max ms", "p50 / raw watch",
				"p99 / raw watch");
		for (int parity = 0; parity <= 1; parity++) {
			String kind = (parity == 0) ? "added" : "removed";
			double[] raw = changes.latencies(changes.raw, warmup, total, parity);
			row(table, kind + " → raw etcd watch (floor)", raw, raw);
			row(table, kind + " → catalog updated", changes.latencies(changes.catalog, warmup, total, parity), raw);
			row(table, kind + " → channel picker updated", changes.latencies(changes.picker, warmup, total, parity),
					raw);
			row(table, kind + ": catalog → picker (the gRPC layer)",
					changes.between(changes.catalog, changes.picker, warmup, total, parity), raw);
		}
		double[] raw = changes.latencies(changes.raw, warmup, total, -1);
		row(table, "both → channel picker updated", changes.latencies(changes.picker, warmup, total, -1), raw);
		System.out.println();
		System.out.println("gRPC picker propagation: " + (total - warmup) + " measured changes (after " + warmup
				+ " warm-up), " + perSecond + "/s, p2c_ewma, 3 stable servers + 1 added/removed, all on 127.0.0.x");
		System.out.println("(an added server is in the picker once its subchannel has connected: TCP + HTTP/2 included)");
		System.out.println(table);
		System.out.println("goal: picker p99 <= 20 ms");
	}

	private static void row(Table table, String stage, double[] sorted, double[] raw) {
		double p50 = Table.percentile(sorted, 50);
		double p99 = Table.percentile(sorted, 99);
		table.row(stage, sorted.length, ms(p50), ms(p99), ms(sorted[sorted.length - 1]),
				ratio(p50, Table.percentile(raw, 50)), ratio(p99, Table.percentile(raw, 99)));
	}

	private static String ms(double nanos) {
		return String.format("%.2f", nanos / 1_000_000.0);
	}

	private static String ratio(double value, double base) {
		return String.format("%.2fx", value / base);
	}

	private static void put(Client client, String key, String value, long lease) throws Exception {
		client.getKVClient()
			.put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build())
			.get(5, TimeUnit.SECONDS);
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static int intArg(String[] args, int index, int fallback) {
		return (args.length > index) ? Integer.parseInt(args[index]) : fallback;
	}

	/** When each change was sent and seen by each stage; change i adds the moving server if even, removes it if odd. */
	private static final class Changes {

		final AtomicLongArray sent;

		final AtomicLongArray raw;

		final AtomicLongArray catalog;

		final AtomicLongArray picker;

		private final String moving;

		private volatile int current = -1;

		private volatile int stableReady;

		Changes(int total, String moving) {
			this.sent = new AtomicLongArray(total);
			this.raw = new AtomicLongArray(total);
			this.catalog = new AtomicLongArray(total);
			this.picker = new AtomicLongArray(total);
			this.moving = moving;
		}

		void start(int index) {
			this.sent.set(index, System.nanoTime());
			this.current = index;
		}

		/** An event of the current change (adds are puts, removals deletes); events of the set-up are ignored. */
		void rawSeen(boolean put, long now) {
			seen(this.raw, put, now);
		}

		void catalogSeen(boolean added, long now) {
			seen(this.catalog, added, now);
		}

		void pickerSeen(Set<String> ready, long now) {
			this.stableReady = ready.size() - (ready.contains(this.moving) ? 1 : 0);
			seen(this.picker, ready.contains(this.moving), now);
		}

		private void seen(AtomicLongArray stage, boolean added, long now) {
			int index = this.current;
			if (index >= 0 && added == (index % 2 == 0)) {
				stage.compareAndSet(index, 0, now);
			}
		}

		void awaitStable(int servers) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
			while (this.stableReady < servers) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("the channel did not connect to the " + servers + " servers");
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}

		void awaitDone(int index, Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (this.raw.get(index) == 0 || this.catalog.get(index) == 0 || this.picker.get(index) == 0) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("change " + index + " was not seen by every stage within "
							+ timeout + ": raw=" + this.raw.get(index) + " catalog=" + this.catalog.get(index)
							+ " picker=" + this.picker.get(index));
				}
				LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
			}
		}

		/** Sorted latencies in nanoseconds of the measured changes; parity 0 = adds, 1 = removals, -1 = both. */
		double[] latencies(AtomicLongArray stage, int from, int to, int parity) {
			return between(this.sent, stage, from, to, parity);
		}

		/** Sorted times in nanoseconds from one stage to a later one, per measured change. */
		double[] between(AtomicLongArray earlier, AtomicLongArray stage, int from, int to, int parity) {
			double[] values = new double[to - from];
			int n = 0;
			for (int i = from; i < to; i++) {
				if (parity < 0 || i % 2 == parity) {
					values[n++] = stage.get(i) - earlier.get(i);
				}
			}
			double[] sorted = Arrays.copyOf(values, n);
			Arrays.sort(sorted);
			return sorted;
		}

	}

}

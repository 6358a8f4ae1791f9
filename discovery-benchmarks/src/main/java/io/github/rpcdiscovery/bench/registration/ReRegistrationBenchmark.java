package io.github.rpcdiscovery.bench.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.registration.EtcdRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdServiceRegistry;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;

/**
 * How long registering takes, against raw jetcd grant+put pairs one by one, and how fast registrations come back after
 * etcd restarts from an empty data dir, against the fastest possible: the same number of raw grant+put pairs sent at
 * once to the same etcd. Baselines are measured in the same run.
 * <p>
 * Usage: {@code ReRegistrationBenchmark [rounds] [instances...]}, default 5 rounds of 1, 10 and 50 instances. All
 * traffic is on loopback; the registered addresses are 127.0.0.51:port.
 */
public final class ReRegistrationBenchmark {

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		int[] sizes = (args.length > 1) ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
				: new int[] { 1, 10, 50 };
		Table table = new Table("instances", "register one by one p50 ms", "raw grant+put one by one p50 ms", "ratio",
				"re-registered after restart p50 ms", "max ms", "raw grant+put after restart p50 ms", "ratio");
		try (EtcdProcess etcd = EtcdProcess.startSingle()) {
			for (int size : sizes) {
				table.row(measure(etcd, size, rounds));
			}
		}
		System.out.println();
		System.out.println("Re-registration after etcd restarts with an empty data dir (" + rounds + " rounds each)");
		System.out.println(table);
		System.exit(0);
	}

	private static Object[] measure(EtcdProcess etcd, int size, int rounds) throws Exception {
		double[] register = new double[rounds];
		double[] rawRegister = new double[rounds];
		double[] recovery = new double[rounds];
		double[] rawRecovery = new double[rounds];
		for (int round = 0; round < rounds; round++) {
			try (EtcdConnections connections = new EtcdConnections(); Client raw = Client.builder()
				.endpoints("http://" + etcd.hostAndPort())
				.build()) {
				EtcdServiceRegistry registry = new EtcdServiceRegistry(connections,
						EtcdCluster.of(List.of(etcd.hostAndPort())), false);
				List<EtcdRegistration> registrations = new ArrayList<>();
				for (int i = 0; i < size; i++) {
					registrations.add(new EtcdRegistration("bench.rpc", 0, Duration.ofSeconds(10),
							Map.of("scheme", "http"), new HostAndPort("127.0.0.51", 20000 + i)));
				}
				long start = System.nanoTime();
				registrations.forEach(registry::register);
				register[round] = millisSince(start);
				rawRegister[round] = rawGrantAndPutOneByOne(raw, "raw.rpc/", size);

				etcd.kill();
				etcd.wipeData();
				etcd.start();
				long serving = System.nanoTime();
				awaitKeys(raw, "bench.rpc/", size);
				recovery[round] = millisSince(serving);
				rawRecovery[round] = rawGrantAndPut(raw, "raw-after.rpc/", size);
				registry.close();
				raw.getKVClient().delete(bytes("raw"), io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build())
					.get(5, TimeUnit.SECONDS);
			}
		}
		Arrays.sort(register);
		Arrays.sort(rawRegister);
		Arrays.sort(recovery);
		Arrays.sort(rawRecovery);
		double registerP50 = Table.percentile(register, 50);
		double rawP50 = Table.percentile(rawRegister, 50);
		double recoveryP50 = Table.percentile(recovery, 50);
		double rawRecoveryP50 = Table.percentile(rawRecovery, 50);
		return new Object[] { size, f(registerP50), f(rawP50), f(registerP50 / rawP50) + "x", f(recoveryP50),
				f(recovery[recovery.length - 1]), f(rawRecoveryP50), f(recoveryP50 / rawRecoveryP50) + "x" };
	}

	/** {@code size} leases granted and keys put one after the other, as {@code register} registers. */
	private static double rawGrantAndPutOneByOne(Client raw, String prefix, int size) throws Exception {
		long start = System.nanoTime();
		for (int i = 0; i < size; i++) {
			long lease = raw.getLeaseClient().grant(10).get(5, TimeUnit.SECONDS).getID();
			raw.getKVClient()
				.put(bytes(prefix + i), bytes("127.0.0.52:" + (20000 + i)), PutOption.builder().withLeaseId(lease).build())
				.get(5, TimeUnit.SECONDS);
		}
		return millisSince(start);
	}

	/** {@code size} leases granted and keys put, all at once: the least a re-registration of that many can take. */
	private static double rawGrantAndPut(Client raw, String prefix, int size) throws Exception {
		long start = System.nanoTime();
		List<CompletableFuture<?>> all = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			String key = prefix + i;
			all.add(raw.getLeaseClient()
				.grant(10)
				.thenCompose((lease) -> raw.getKVClient()
					.put(bytes(key), bytes("127.0.0.52:20000"),
							PutOption.builder().withLeaseId(lease.getID()).build())));
		}
		CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		return millisSince(start);
	}

	private static void awaitKeys(Client raw, String prefix, int size) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			try {
				long count = raw.getKVClient()
					.get(bytes(prefix), GetOption.builder().isPrefix(true).withCountOnly(true).build())
					.get(1, TimeUnit.SECONDS)
					.getCount();
				if (count == size) {
					return;
				}
			}
			catch (Exception ex) {
				// etcd still starting: poll again
			}
			TimeUnit.MILLISECONDS.sleep(5);
		}
		throw new IllegalStateException(size + " registrations did not come back within 60 s");
	}

	private static double millisSince(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e6;
	}

	private static String f(double value) {
		return String.format(java.util.Locale.ROOT, "%.1f", value);
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}

package io.github.rpcdiscovery.bench.loadbalancer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import java.lang.management.ThreadMXBean;

import com.sun.management.OperatingSystemMXBean;
import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.bench.loadbalancer.OverheadClients.Client;
import io.github.rpcdiscovery.bench.loadbalancer.OverheadClients.Target;

/**
 * The throughput a {@code @LoadBalanced} client loses against the same client calling a hard-coded URL of the same
 * backend ({@link OverheadClients}), for RestClient, RestTemplate and WebClient, each with a service this starter
 * resolves and with one it does not (Spring Cloud LoadBalancer's own chain). Measured so that background load hits
 * every side alike: short slices, the three sides of a client taking turns (the order rotating every round), closed
 * loop with a few threads. Prints the overall ratio, the spread of the per-round ratios, and the CPU time per call of
 * each side (less sensitive to other processes than throughput: the whole process's CPU time, backend included,
 * divided by the calls), and the CPU time of the calling threads alone per call, which a busy machine does not
 * lengthen (for RestTemplate and RestClient every load-balancer step runs there; for WebClient the filter and the
 * pick do, the completion callbacks run on the event loop).
 * <p>
 * Usage: {@code LoadBalancerOverhead [--rounds=15] [--slice-seconds=2] [--threads=2] [--retry=false] [--in-memory]};
 * {@code --in-memory} answers every call in memory instead of over HTTP, leaving the load-balancer layer alone. For a
 * profiler: {@code --profile=REST_CLIENT:STARTER [--seconds=30]} calls one client and target only.
 */
public final class LoadBalancerOverhead {

	private static final OperatingSystemMXBean PROCESS = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private LoadBalancerOverhead() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = intOption(args, "rounds", 15);
		Duration slice = Duration.ofSeconds(intOption(args, "slice-seconds", 2));
		int threads = intOption(args, "threads", 2);
		boolean retry = !List.of(args).contains("--retry=false");
		String profile = option(args, "profile", null);
		boolean inMemory = List.of(args).contains("--in-memory");
		try (OverheadClients clients = new OverheadClients(retry, inMemory)) {
			if (profile != null) {
				String[] parts = profile.split(":");
				Supplier<String> call = clients.call(Client.valueOf(parts[0]), Target.valueOf(parts[1]));
				run(call, Duration.ofSeconds(5), threads, new long[1], 0);
				long[] cpu = new long[1];
				long calls = run(call, Duration.ofSeconds(intOption(args, "seconds", 30)), threads, cpu, 0);
				System.out.printf(Locale.ROOT, "%s: %d calls, CPU %.1f µs/call%n", profile, calls,
						cpu[0] / 1000.0 / calls);
				return;
			}
			Table table = new Table("client", "balancer", "hard-coded URL ops/s", "@LoadBalanced ops/s",
					"throughput lost", "per-round ratio median [min, max]", "CPU µs/call hard-coded",
					"CPU µs/call @LoadBalanced", "caller CPU µs/call hard-coded", "caller CPU µs/call @LoadBalanced",
					"caller CPU added µs", "load avg before/after");
			for (Client client : Client.values()) {
				measure(table, clients, client, rounds, slice, threads);
			}
			System.out.printf("%d rounds of %d s per side, %d threads, closed loop, %s, retry %s%n%n", rounds,
					slice.toSeconds(), threads, inMemory ? "answered in memory (no HTTP)" : "one loopback backend",
					retry ? "on" : "off");
			System.out.println(table);
		}
	}

	private static void measure(Table table, OverheadClients clients, Client client, int rounds, Duration slice,
			int threads) throws InterruptedException {
		String loadBefore = LoadBalancerComparison.loadAverage();
		Target[] targets = Target.values();
		long[] warmup = new long[targets.length];
		for (Target target : targets) {
			run(clients.call(client, target), Duration.ofSeconds(5), threads, warmup, target.ordinal());
		}
		long[] calls = new long[targets.length];
		long[] cpu = new long[targets.length];
		long[] callerCpu = new long[targets.length];
		double[][] ratios = new double[targets.length][rounds];
		for (int round = 0; round < rounds; round++) {
			long[] roundCalls = new long[targets.length];
			for (int i = 0; i < targets.length; i++) {
				Target target = targets[(round + i) % targets.length];
				roundCalls[target.ordinal()] = run(clients.call(client, target), slice, threads, cpu, callerCpu,
						target.ordinal());
			}
			for (int t = 0; t < targets.length; t++) {
				calls[t] += roundCalls[t];
				ratios[t][round] = (double) roundCalls[t] / roundCalls[Target.DIRECT.ordinal()];
			}
		}
		double seconds = slice.toMillis() / 1000.0 * rounds;
		int direct = Target.DIRECT.ordinal();
		String loadAfter = LoadBalancerComparison.loadAverage();
		for (Target target : new Target[] { Target.STARTER, Target.SPRING_CLOUD }) {
			int t = target.ordinal();
			double[] sorted = ratios[t].clone();
			Arrays.sort(sorted);
			table.row(client.label, target.label, String.format(Locale.ROOT, "%.0f", calls[direct] / seconds),
					String.format(Locale.ROOT, "%.0f", calls[t] / seconds),
					String.format(Locale.ROOT, "%.1f %%", 100.0 * (1 - (double) calls[t] / calls[direct])),
					String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", sorted[rounds / 2], sorted[0],
							sorted[rounds - 1]),
					String.format(Locale.ROOT, "%.1f", cpu[direct] / 1000.0 / calls[direct]),
					String.format(Locale.ROOT, "%.1f", cpu[t] / 1000.0 / calls[t]),
					String.format(Locale.ROOT, "%.1f", callerCpu[direct] / 1000.0 / calls[direct]),
					String.format(Locale.ROOT, "%.1f", callerCpu[t] / 1000.0 / calls[t]),
					String.format(Locale.ROOT, "%+.1f", callerCpu[t] / 1000.0 / calls[t]
							- callerCpu[direct] / 1000.0 / calls[direct]),
					loadBefore + " / " + loadAfter);
		}
	}

	/**
	 * Calls as fast as the threads can for the duration; returns the number of calls and adds the process CPU time
	 * used (client, load balancer and backend alike, all in this process) to {@code cpu[side]}.
	 */
	private static long run(Supplier<String> call, Duration duration, int threads, long[] cpu, int side)
			throws InterruptedException {
		return run(call, duration, threads, cpu, new long[cpu.length], side);
	}

	/**
	 * As above, and adds the CPU time of the calling threads alone to {@code callerCpu[side]}: what the caller does
	 * per call (for RestTemplate and RestClient, every step of the load balancer) and, unlike throughput, not
	 * lengthened by waiting for a core on a busy machine.
	 */
	private static long run(Supplier<String> call, Duration duration, int threads, long[] cpu, long[] callerCpu,
			int side) throws InterruptedException {
		long cpuBefore = PROCESS.getProcessCpuTime();
		LongAdder calls = new LongAdder();
		LongAdder callerNanos = new LongAdder();
		long end = System.nanoTime() + duration.toNanos();
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Thread worker = new Thread(() -> {
				long threadCpuBefore = THREADS.getCurrentThreadCpuTime();
				while (System.nanoTime() < end) {
					call.get();
					calls.increment();
				}
				callerNanos.add(THREADS.getCurrentThreadCpuTime() - threadCpuBefore);
			});
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			worker.join();
		}
		cpu[side] += PROCESS.getProcessCpuTime() - cpuBefore;
		callerCpu[side] += callerNanos.sum();
		return calls.sum();
	}

	private static int intOption(String[] args, String name, int fallback) {
		String value = option(args, name, null);
		return (value != null) ? Integer.parseInt(value) : fallback;
	}

	private static String option(String[] args, String name, String fallback) {
		for (String arg : args) {
			if (arg.startsWith("--" + name + "=")) {
				return arg.substring(name.length() + 3);
			}
		}
		return fallback;
	}

}

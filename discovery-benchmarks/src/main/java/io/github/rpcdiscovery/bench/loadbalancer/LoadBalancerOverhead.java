package io.github.rpcdiscovery.bench.loadbalancer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import com.sun.management.OperatingSystemMXBean;
import io.github.rpcdiscovery.bench.Table;

/**
 * The throughput a {@code @LoadBalanced} client loses against the same client calling a hard-coded URL of the same
 * backend ({@link OverheadClients}), measured so that background load hits both sides alike: short slices, the
 * two sides alternating (and which goes first alternating too), closed loop with a few threads. Prints the overall
 * ratio and the spread of the per-round ratios, and the CPU time per call of each side (less sensitive to other
 * processes than throughput: the whole process's CPU time, backend included, divided by the calls).
 * <p>
 * Usage: {@code LoadBalancerOverhead [--rounds=15] [--slice-seconds=2] [--threads=2] [--retry=false]}
 */
public final class LoadBalancerOverhead {

	private static final OperatingSystemMXBean PROCESS = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private LoadBalancerOverhead() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = intOption(args, "rounds", 15);
		Duration slice = Duration.ofSeconds(intOption(args, "slice-seconds", 2));
		int threads = intOption(args, "threads", 2);
		boolean retry = !List.of(args).contains("--retry=false");
		try (OverheadClients clients = new OverheadClients(retry)) {
			Table table = new Table("client", "balancer", "direct ops/s", "@LoadBalanced ops/s", "throughput lost",
					"per-round ratio median [min, max]", "CPU µs/call direct", "CPU µs/call @LoadBalanced",
					"load avg before/after");
			measure(table, "WebClient", "this starter (p2c)", clients::webClientDirect, clients::webClientLoadBalanced,
					rounds, slice, threads);
			measure(table, "WebClient", "Spring Cloud round robin", clients::webClientDirect,
					clients::webClientSpringCloudRoundRobin, rounds, slice, threads);
			measure(table, "RestClient", "this starter (p2c)", clients::restClientDirect,
					clients::restClientLoadBalanced, rounds, slice, threads);
			measure(table, "RestClient", "Spring Cloud round robin", clients::restClientDirect,
					clients::restClientSpringCloudRoundRobin, rounds, slice, threads);
			System.out.printf("%d rounds of %d s per side, %d threads, closed loop, one loopback backend, retry %s%n%n",
					rounds, slice.toSeconds(), threads, retry ? "on" : "off");
			System.out.println(table);
		}
	}

	private static void measure(Table table, String name, String balancer, Supplier<String> direct,
			Supplier<String> loadBalanced, int rounds, Duration slice, int threads) throws InterruptedException {
		String loadBefore = LoadBalancerComparison.loadAverage();
		long[] warmup = new long[2];
		run(direct, Duration.ofSeconds(5), threads, warmup, 0);
		run(loadBalanced, Duration.ofSeconds(5), threads, warmup, 1);
		long directCalls = 0;
		long loadBalancedCalls = 0;
		long[] cpu = new long[2];
		double[] ratios = new double[rounds];
		for (int round = 0; round < rounds; round++) {
			long d;
			long l;
			if (round % 2 == 0) {
				d = run(direct, slice, threads, cpu, 0);
				l = run(loadBalanced, slice, threads, cpu, 1);
			}
			else {
				l = run(loadBalanced, slice, threads, cpu, 1);
				d = run(direct, slice, threads, cpu, 0);
			}
			directCalls += d;
			loadBalancedCalls += l;
			ratios[round] = (double) l / d;
		}
		Arrays.sort(ratios);
		double seconds = slice.toMillis() / 1000.0 * rounds;
		table.row(name, balancer, String.format(Locale.ROOT, "%.0f", directCalls / seconds),
				String.format(Locale.ROOT, "%.0f", loadBalancedCalls / seconds),
				String.format(Locale.ROOT, "%.1f %%", 100.0 * (1 - (double) loadBalancedCalls / directCalls)),
				String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", ratios[rounds / 2], ratios[0], ratios[rounds - 1]),
				String.format(Locale.ROOT, "%.0f", cpu[0] / 1000.0 / directCalls),
				String.format(Locale.ROOT, "%.0f", cpu[1] / 1000.0 / loadBalancedCalls), loadBefore + " / " + LoadBalancerComparison.loadAverage());
	}

	/**
	 * Calls as fast as the threads can for the duration; returns the number of calls and adds the process CPU time
	 * used (client, load balancer and backend alike, all in this process) to {@code cpu[side]}.
	 */
	private static long run(Supplier<String> call, Duration duration, int threads, long[] cpu, int side)
			throws InterruptedException {
		long cpuBefore = PROCESS.getProcessCpuTime();
		LongAdder calls = new LongAdder();
		long end = System.nanoTime() + duration.toNanos();
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Thread worker = new Thread(() -> {
				while (System.nanoTime() < end) {
					call.get();
					calls.increment();
				}
			});
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			worker.join();
		}
		cpu[side] += PROCESS.getProcessCpuTime() - cpuBefore;
		return calls.sum();
	}

	private static int intOption(String[] args, String name, int fallback) {
		for (String arg : args) {
			if (arg.startsWith("--" + name + "=")) {
				return Integer.parseInt(arg.substring(name.length() + 3));
			}
		}
		return fallback;
	}

}

package io.github.rpcdiscovery.bench.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.rpcdiscovery.bench.Table;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.direct.DirectDiscoverySource;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.github.rpcdiscovery.test.load.OpenLoopLoad;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;

/**
 * The load-balancing issue's slow-backend experiment on gRPC, side by side in one run: 5 Netty servers on loopback
 * answering in about 20 ms, one channel per policy on {@code direct:///...} (this starter's resolver), an open-loop
 * load of 200 calls/s with a 1 s deadline; from a quarter to three quarters of each run the first listed server answers
 * in 500 ms. pick_first sends everything to that first server, so it shows the worst case of a policy that does not
 * balance; round_robin is the baseline of the ratios. A fair share is 20 %.
 * <pre>
 * java -cp ... io.github.rpcdiscovery.bench.grpc.GrpcSlowBackendComparison [seconds=20] [rate=200]
 * </pre>
 */
public final class GrpcSlowBackendComparison {

	private static final Duration LATENCY = Duration.ofMillis(20);

	private static final Duration SLOW = Duration.ofMillis(500);

	private static final long DEADLINE_MILLIS = 1000;

	private static final int BACKENDS = 5;

	private static final List<String> POLICIES = List.of("round_robin", "p2c_ewma", "pick_first");

	private GrpcSlowBackendComparison() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
		int rate = (args.length > 1) ? Integer.parseInt(args[1]) : 200;
		List<GrpcBackend> backends = new ArrayList<>();
		for (int i = 1; i <= BACKENDS; i++) {
			backends.add(GrpcBackend.start("127.0.0." + i).delay(LATENCY));
		}
		StringBuilder target = new StringBuilder("direct:///");
		for (GrpcBackend backend : backends) {
			target.append((target.length() > 10) ? "," : "").append(backend.address());
		}
		ServiceCatalog catalog = new ServiceCatalog();
		ServiceDiscovery discovery = new ServiceDiscovery(catalog, new DiscoveryPlan(List.of(), null, null),
				List.of(new DirectDiscoverySource(catalog)), Duration.ofSeconds(5));
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
		Table table = new Table("policy", "calls", "failed", "p50 ms", "p99 ms", "p99.9 ms", "slow server's share while slow",
				"p99 / round_robin", "failed / round_robin");
		double baselineP99 = 0;
		double baselineFailed = 0;
		try (GrpcNameResolvers resolvers = GrpcNameResolvers.registerDefault(discovery)) {
			for (String policy : POLICIES) {
				ManagedChannel channel = Grpc.newChannelBuilder(target.toString(), InsecureChannelCredentials.create())
					.defaultLoadBalancingPolicy(policy)
					.build();
				SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(channel);
				// warm-up: connections, JIT; unmeasured
				try (OpenLoopLoad warmup = OpenLoopLoad.start(rate, 200, Duration.ofSeconds(3), () -> call(stub))) {
					awaitEnd(warmup, rate * 3);
				}
				backends.forEach(GrpcBackend::resetCalls);
				GrpcBackend slow = backends.get(0);
				int[] atFaultStart = new int[2];
				int[] atFaultEnd = new int[2];
				timer.schedule(() -> {
					snapshot(backends, atFaultStart);
					slow.delay(SLOW);
				}, seconds * 250L, TimeUnit.MILLISECONDS);
				timer.schedule(() -> {
					slow.delay(LATENCY);
					snapshot(backends, atFaultEnd);
				}, seconds * 750L, TimeUnit.MILLISECONDS);
				OpenLoopLoad load = OpenLoopLoad.start(rate, 400, Duration.ofSeconds(seconds), () -> call(stub));
				awaitEnd(load, rate * seconds);
				channel.shutdownNow();
				long[] micros = load.sortedLatenciesMicros();
				double[] sorted = new double[micros.length];
				for (int i = 0; i < micros.length; i++) {
					sorted[i] = micros[i] / 1000.0;
				}
				int slowInWindow = atFaultEnd[0] - atFaultStart[0];
				int allInWindow = atFaultEnd[1] - atFaultStart[1];
				double p99 = Table.percentile(sorted, 99);
				double failedShare = (double) load.failed() / load.sent();
				if (policy.equals("round_robin")) {
					baselineP99 = p99;
					baselineFailed = Math.max(failedShare, 1e-9);
				}
				table.row(policy, load.sent(), load.failed(), fmt(Table.percentile(sorted, 50)), fmt(p99),
						fmt(Table.percentile(sorted, 99.9)), String.format("%.1f%%", 100.0 * slowInWindow / allInWindow),
						String.format("%.2fx", p99 / baselineP99),
						(load.failed() == 0 && baselineFailed < 1e-6) ? "-" : String.format("%.2fx", failedShare / baselineFailed));
			}
		}
		finally {
			timer.shutdownNow();
			backends.forEach(GrpcBackend::close);
		}
		System.out.println();
		System.out.println("gRPC slow-backend experiment: " + BACKENDS + " servers at " + LATENCY.toMillis() + " ms, "
				+ rate + " calls/s open loop for " + seconds + " s per policy, deadline " + DEADLINE_MILLIS
				+ " ms; the first listed server answers in " + SLOW.toMillis() + " ms during the middle half");
		System.out.println(table);
		System.exit(0);
	}

	/** [0] the first (slow) server's calls so far, [1] all servers' calls so far. */
	private static void snapshot(List<GrpcBackend> backends, int[] into) {
		into[0] = backends.get(0).calls();
		into[1] = backends.stream().mapToInt(GrpcBackend::calls).sum();
	}

	private static boolean call(SimpleServiceGrpc.SimpleServiceBlockingStub stub) {
		stub.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
		return true;
	}

	/** Until the load has started its calls (it stops by itself), then until the calls in flight are done. */
	private static void awaitEnd(OpenLoopLoad load, int calls) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(calls / 10 + 30);
		while (load.sent() < calls - 1 && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
		load.stop();
	}

	private static String fmt(double millis) {
		return String.format("%.1f", millis);
	}

}

package io.github.rpcdiscovery.sample.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.rpcdiscovery.test.app.RegisteredHttpServer;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.test.net.LoopbackHttp;

import org.springframework.boot.SpringApplication;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample gateway's figures for the README's Performance table, in one run:
 * <ol>
 * <li>throughput of {@code /lb/hello} (route {@code lb://bench.rpc}, one instance registered in etcd) against
 * {@code /fixed/hello} (the same route with that instance's {@code http://} URI), closed-loop, rounds alternating;</li>
 * <li>an instance registered in etcd → first answer from it through the gateway (polled; {@code prop.rpc} has no
 * other instance, each one is removed before the next is added, so the first answer from it is the first routed
 * call, not a balancer's choice), p50/p99, against the moment the gateway's own {@code DiscoveryClient} lists it
 * (polled in the same process), same changes.</li>
 * </ol>
 * {@code java -cp ... GatewayBenchmark [threads=16] [seconds per round=5] [changes=100]}
 */
public final class GatewayBenchmark {

	private GatewayBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int threads = (args.length > 0) ? Integer.parseInt(args[0]) : 16;
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 5;
		int changes = (args.length > 2) ? Integer.parseInt(args[2]) : 100;
		try (EtcdProcess etcd = EtcdProcess.startSingle()) {
			EtcdCtl etcdctl = etcd.etcdctl();
			RegisteredHttpServer backend = RegisteredHttpServer.start("bench.rpc", "127.0.0.2", etcdctl).register();
			List<String> gatewayArgs = new ArrayList<>(List.of("--server.port=0", "--rpc.etcd.hosts=" + etcd.hostAndPort(),
					"--logging.level.root=WARN", "--rpc.clients[0].name=bench.rpc", "--rpc.clients[0].etcd.key=bench.rpc",
					"--rpc.clients[1].name=prop.rpc", "--rpc.clients[1].etcd.key=prop.rpc"));
			// these routes replace the application.yml's
			route(gatewayArgs, 0, "lb", "lb://bench.rpc");
			route(gatewayArgs, 1, "fixed", "http://" + backend.address());
			route(gatewayArgs, 2, "prop", "lb://prop.rpc");
			ConfigurableApplicationContext gateway = SpringApplication.run(SampleGatewayApplication.class,
					gatewayArgs.toArray(String[]::new));
			String base = "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port");
			try {
				throughput(base, threads, seconds);
				propagation(base, gateway.getBean(DiscoveryClient.class), etcdctl, changes);
			}
			finally {
				gateway.close();
				backend.close();
			}
		}
		System.exit(0);
	}

	private static void route(List<String> args, int index, String path, String uri) {
		String prefix = "--spring.cloud.gateway.server.webflux.routes[" + index + "].";
		args.addAll(List.of(prefix + "id=" + path, prefix + "uri=" + uri, prefix + "predicates[0]=Path=/" + path + "/**",
				prefix + "filters[0]=StripPrefix=1"));
	}

	private static void throughput(String base, int threads, int seconds) throws InterruptedException {
		// warm both routes up: JIT, connection pools, the balancer's first answers
		run(base + "/fixed/hello", threads, Math.max(3, seconds));
		run(base + "/lb/hello", threads, Math.max(3, seconds));
		int rounds = 4;
		double[] fixed = new double[rounds];
		double[] lb = new double[rounds];
		double[] ratio = new double[rounds];
		System.out.printf("%n| round (%d threads, %d s each; order fixed-lb, lb-fixed, ...) | fixed http:// URI (baseline), req/s | lb://bench.rpc, req/s | lb / fixed |%n",
				threads, seconds);
		System.out.println("|---|---|---|---|");
		for (int round = 0; round < rounds; round++) {
			// the order swaps every round, so that neither route always runs on a warmer JVM
			if (round % 2 == 0) {
				fixed[round] = run(base + "/fixed/hello", threads, seconds);
				lb[round] = run(base + "/lb/hello", threads, seconds);
			}
			else {
				lb[round] = run(base + "/lb/hello", threads, seconds);
				fixed[round] = run(base + "/fixed/hello", threads, seconds);
			}
			ratio[round] = lb[round] / fixed[round];
			System.out.printf("| %d | %.0f | %.0f | %+.1f %% |%n", round + 1, fixed[round], lb[round],
					100 * (ratio[round] - 1));
		}
		Arrays.sort(ratio);
		System.out.printf("| median of %d | | | %+.1f %% |%n", rounds,
				100 * ((ratio[rounds / 2 - 1] + ratio[rounds / 2]) / 2 - 1));
	}

	/** Closed loop: {@code threads} callers, each sending its next request when the last answered; requests/s. */
	private static double run(String url, int threads, int seconds) throws InterruptedException {
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		CountDownLatch done = new CountDownLatch(threads);
		for (int i = 0; i < threads; i++) {
			LoopbackHttp http = new LoopbackHttp(url);
			Thread caller = new Thread(() -> {
				while (System.nanoTime() < end) {
					(http.get("").ok() ? ok : failed).incrementAndGet();
				}
				done.countDown();
			});
			caller.start();
		}
		done.await();
		if (failed.get() > 0) {
			System.out.println(url + ": " + failed.get() + " failed calls");
		}
		return ok.get() / (double) seconds;
	}

	private static void propagation(String base, DiscoveryClient discovery, EtcdCtl etcdctl, int changes)
			throws InterruptedException {
		LoopbackHttp http = new LoopbackHttp(base);
		long[] routed = new long[changes];
		long[] listed = new long[changes];
		for (int i = 0; i < changes; i++) {
			try (RegisteredHttpServer added = RegisteredHttpServer.start("prop.rpc", "127.0.0.4", etcdctl)) {
				String port = added.address().substring(added.address().lastIndexOf(':') + 1);
				AtomicLong listedAt = new AtomicLong();
				Thread lister = new Thread(() -> {
					while (discovery.getInstances("prop.rpc")
						.stream()
						.noneMatch((instance) -> port.equals(String.valueOf(instance.getPort())))) {
						LockSupport.parkNanos(100_000);
					}
					listedAt.set(System.nanoTime());
				});
				lister.start();
				added.register();
				long registered = System.nanoTime();
				while (!added.address().equals(http.get("/prop/hello").body())) {
					// polling the gateway, as a user would
				}
				routed[i] = System.nanoTime() - registered;
				lister.join();
				listed[i] = listedAt.get() - registered;
			}
		}
		Arrays.sort(routed);
		Arrays.sort(listed);
		System.out.printf("%n| etcd put returned → (%d changes, one at a time) | p50 | p99 | max |%n", changes);
		System.out.println("|---|---|---|---|");
		System.out.printf("| the gateway's DiscoveryClient lists it (baseline, same changes) | %.1f ms | %.1f ms | %.1f ms |%n",
				millis(listed, 0.50), millis(listed, 0.99), listed[changes - 1] / 1e6);
		System.out.printf("| first answer from it through lb://prop.rpc (gateway polled) | %.1f ms | %.1f ms | %.1f ms |%n",
				millis(routed, 0.50), millis(routed, 0.99), routed[changes - 1] / 1e6);
	}

	private static double millis(long[] sorted, double quantile) {
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.max(0, index)] / 1e6;
	}

}

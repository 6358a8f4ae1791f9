package io.github.rpcdiscovery.test.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

import io.github.rpcdiscovery.test.load.OpenLoopLoad;
import org.awaitility.Awaitility;

/**
 * Restarts servers one after the other under a steady load: each is stopped with SIGTERM (timed), the clients must
 * drop it, then a new process takes its place and the clients must see it again before the next one goes.
 */
public final class RollingRestart {

	private RollingRestart() {
	}

	/**
	 * @param requests requests sent, failed, and the first failures
	 * @param shutdownMillis the graceful shutdown time of every stopped server
	 * @param latenciesMicros sorted latencies of every request
	 */
	public record Result(int requests, int failed, List<String> firstFailures, List<Long> shutdownMillis,
			long[] latenciesMicros) {

	}

	/**
	 * @param servers the running servers; replaced in place as they restart
	 * @param newServer makes (does not start) the replacement of server {@code i}
	 * @param visibleInstances how many servers the client sees now
	 * @param call one request of the load
	 * @param rounds how many times every server restarts
	 * @param perSecond the load's rate
	 */
	public static Result run(List<ManagedApp> servers, IntFunction<ManagedApp> newServer, IntSupplier visibleInstances,
			Callable<?> call, int rounds, int perSecond) {
		int count = servers.size();
		awaitVisible(visibleInstances, count);
		List<Long> shutdownMillis = new ArrayList<>();
		Duration budget = Duration.ofMinutes(3L * rounds * count);
		try (OpenLoopLoad load = OpenLoopLoad.start(perSecond, 64, budget, call)) {
			for (int round = 0; round < rounds; round++) {
				for (int i = 0; i < count; i++) {
					shutdownMillis.add(servers.get(i).stop(Duration.ofSeconds(30)).toMillis());
					awaitVisible(visibleInstances, count - 1);
					servers.set(i, newServer.apply(i).start());
					awaitVisible(visibleInstances, count);
				}
			}
			load.stop();
			return new Result(load.sent(), load.failed(), load.firstFailures(), shutdownMillis,
					load.sortedLatenciesMicros());
		}
	}

	/**
	 * The arguments of a server that registers as {@code service} in etcd, at {@code host} (explicit, loopback) on a
	 * free port.
	 */
	public static List<String> serverArguments(String service, String etcdHosts, String host, String... more) {
		List<String> arguments = new ArrayList<>(List.of("--spring.application.name=" + service,
				"--rpc.etcd.hosts=" + etcdHosts, "--rpc.listen-on=" + host, "--server.address=" + host,
				"--server.port=0"));
		arguments.addAll(List.of(more));
		return arguments;
	}

	private static void awaitVisible(IntSupplier visibleInstances, int count) {
		Awaitility.await("the client sees " + count + " servers")
			.atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> visibleInstances.getAsInt() == count);
	}

}

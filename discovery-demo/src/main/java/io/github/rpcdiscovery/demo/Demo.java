package io.github.rpcdiscovery.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import io.github.rpcdiscovery.test.app.ManagedApp;
import io.github.rpcdiscovery.test.etcd.EtcdBinary;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The README's first command. On one machine, in under a minute: its own etcd (or direct mode when the binary is
 * missing), three sample-servers on 127.0.0.1-3 and a sample-client under steady load; then one server stops
 * gracefully, another is killed with -9 and restarted. Prints a timeline; exits 0 only if the story held: every
 * change seen by the client, and not one failed call. {@code --direct} skips etcd. {@code --gateway} tells the story
 * through the sample-gateway (Spring Cloud Gateway) instead of the sample-client.
 */
public final class Demo {

	private static final String SERVICE = "sample-server";

	/** A short TTL so that the kill -9 part of the story fits in the minute. */
	private static final String TTL = "3s";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private final Timeline timeline = new Timeline();

	private final Path root;

	private final Path work;

	private final List<ManagedApp> apps = new ArrayList<>();

	private EtcdProcess etcd;

	private Demo(Path root, Path work) {
		this.root = root;
		this.work = work;
	}

	public static void main(String[] args) throws IOException {
		Path work = Files.createTempDirectory("rpc-discovery-demo-");
		Demo demo = new Demo(Path.of("").toAbsolutePath(), work);
		boolean held;
		try {
			held = List.of(args).contains("--gateway") ? demo.runThroughGateway()
					: demo.run(List.of(args).contains("--direct"));
		}
		finally {
			demo.cleanUp();
		}
		System.exit(held ? 0 : 1);
	}

	private boolean run(boolean forceDirect) {
		boolean etcdMode = !forceDirect && startEtcd();
		List<ManagedApp> servers = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			servers.add(server(i, etcdMode).start());
		}
		List<Integer> ports = new ArrayList<>();
		for (ManagedApp server : servers) {
			ports.add(server.awaitPort(START_TIMEOUT));
		}
		List<String> addresses = List.of("127.0.0.1:" + ports.get(0), "127.0.0.2:" + ports.get(1),
				"127.0.0.3:" + ports.get(2));
		this.timeline.say("3 sample-servers listening: " + String.join(", ", addresses));
		ManagedApp client = client(etcdMode, addresses).start();
		int clientPort = client.awaitPort(START_TIMEOUT);
		this.timeline.say("sample-client listening on 127.0.0.1:" + clientPort);
		try (ClientProbe probe = new ClientProbe(clientPort, SERVICE)) {
			this.timeline.check(waitFor(Duration.ofSeconds(30), () -> probe.instances().size() == 3),
					"the client discovers all 3 servers: " + probe.instances());
			probe.startLoad();
			waitFor(Duration.ofSeconds(30), () -> probe.calls() >= 200);
			this.timeline.say("steady load, calls so far spread as " + probe.spreadAndReset());

			gracefulStop(servers.get(0), addresses.get(0), probe, etcdMode);
			killAndRestart(servers, 1, addresses.get(1), probe, etcdMode);

			int settled = probe.calls() + 200;
			waitFor(Duration.ofSeconds(5), () -> probe.calls() >= settled);
			probe.stop();
			this.timeline.check(probe.failures() == 0,
					"no failed call: " + probe.failures() + " failures in " + probe.calls() + " calls");
		}
		printVerdict();
		return this.timeline.storyHeld();
	}

	/**
	 * The same servers and faults, with users calling through Spring Cloud Gateway ({@code /api/hello}, route
	 * {@code lb://sample-server} with one retry) instead of the sample-client: no call may fail.
	 */
	private boolean runThroughGateway() {
		if (!startEtcd()) {
			this.timeline.check(false, "--gateway needs etcd: the gateway finds the servers there");
			return false;
		}
		List<ManagedApp> servers = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			servers.add(server(i, true).start());
		}
		List<String> addresses = new ArrayList<>();
		for (int i = 0; i < servers.size(); i++) {
			addresses.add("127.0.0." + (i + 1) + ":" + servers.get(i).awaitPort(START_TIMEOUT));
		}
		this.timeline.say("3 sample-servers listening: " + String.join(", ", addresses));
		ManagedApp gateway = ManagedApp.jar("gateway", jar("sample-gateway"), this.work, jvmArgs(),
				List.of("--server.port=0", "--rpc.etcd.hosts=" + this.etcd.hostAndPort()));
		this.apps.add(gateway.start());
		int gatewayPort = gateway.awaitPort(START_TIMEOUT);
		this.timeline.say("sample-gateway listening on 127.0.0.1:" + gatewayPort + ", route /api/** -> lb://sample-server");
		try (GatewayProbe probe = new GatewayProbe(gatewayPort)) {
			probe.startLoad();
			this.timeline.check(waitFor(Duration.ofSeconds(30), () -> spreadCovers(probe, addresses)),
					"the gateway routes to all 3 servers");
			this.timeline.say("stopping " + addresses.get(0) + " gracefully (SIGTERM)");
			Duration shutdown = servers.get(0).stop(Duration.ofSeconds(30));
			this.timeline.check(shutdown.toMillis() <= 3000, "graceful shutdown took " + shutdown.toMillis() + " ms");
			this.timeline.say("killing " + addresses.get(1) + " with -9 (no deregistration)");
			servers.get(1).kill();
			probe.spreadAndReset();
			int after = probe.calls() + 300;
			waitFor(Duration.ofSeconds(30), () -> probe.calls() >= after);
			Map<String, Integer> spread = probe.spreadAndReset();
			this.timeline.check(spread.keySet().equals(Set.of(addresses.get(2))),
					"the next 300 calls all went to " + addresses.get(2) + ": " + spread);
			this.timeline.say("restarting " + addresses.get(1));
			long restarted = System.nanoTime();
			probe.spreadAndReset();
			ManagedApp again = server(2, true, addresses.get(1).substring(addresses.get(1).lastIndexOf(':') + 1));
			again.start();
			again.awaitPort(START_TIMEOUT);
			boolean back = waitFor(Duration.ofSeconds(30), () -> probe.spread().containsKey(addresses.get(1)));
			this.timeline.check(back, "the gateway routes to " + addresses.get(1) + " again " + millisSince(restarted)
					+ " ms after the restart began");
			probe.close();
			this.timeline.check(probe.failures() == 0,
					"no failed call: " + probe.failures() + " failures in " + probe.calls() + " calls");
		}
		printVerdict();
		return this.timeline.storyHeld();
	}

	private static boolean spreadCovers(GatewayProbe probe, List<String> addresses) {
		return probe.spread().keySet().containsAll(addresses);
	}

	private void gracefulStop(ManagedApp server, String address, ClientProbe probe, boolean etcdMode) {
		this.timeline.say("stopping " + address + " gracefully (SIGTERM)");
		long sigterm = System.nanoTime();
		CompletableFuture<Duration> stopping = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(30)));
		if (etcdMode) {
			boolean dropped = waitFor(Duration.ofSeconds(5), () -> !probe.instances().contains(address));
			long droppedAfter = millisSince(sigterm);
			this.timeline.check(dropped && !stopping.isDone(), "the client dropped " + address + " " + droppedAfter
					+ " ms after SIGTERM, while it was still serving (deregistered first, then drained)");
		}
		else {
			this.timeline.say("direct mode: " + address + " stays listed; the balancer routes around it");
		}
		Duration shutdown = stopping.join();
		this.timeline.check(shutdown.toMillis() <= 3000, "graceful shutdown took " + shutdown.toMillis() + " ms");
		this.timeline.say("calls since the last report: " + probe.spreadAndReset());
	}

	private void killAndRestart(List<ManagedApp> servers, int index, String address, ClientProbe probe,
			boolean etcdMode) {
		this.timeline.say("killing " + address + " with -9 (no deregistration)");
		long killed = System.nanoTime();
		servers.get(index).kill();
		if (etcdMode) {
			boolean dropped = waitFor(Duration.ofSeconds(15), () -> !probe.instances().contains(address));
			this.timeline.check(dropped,
					"the client dropped " + address + " " + millisSince(killed) + " ms after the kill (TTL " + TTL + ")");
		}
		this.timeline.say("calls since the last report: " + probe.spreadAndReset());
		this.timeline.say("restarting " + address);
		long restarted = System.nanoTime();
		ManagedApp again = server(index + 1, etcdMode, address.substring(address.lastIndexOf(':') + 1)).start();
		this.apps.add(again);
		again.awaitPort(START_TIMEOUT);
		boolean back = waitFor(Duration.ofSeconds(30), () -> probe.instances().contains(address));
		this.timeline.check(back, "the client sees " + address + " again " + millisSince(restarted)
				+ " ms after the restart began");
		boolean serving = waitFor(Duration.ofSeconds(10), () -> probe.spreadAndReset().containsKey(address));
		this.timeline.check(serving, address + " gets calls again");
	}

	private boolean startEtcd() {
		try {
			EtcdBinary.etcd();
		}
		catch (AssertionError missing) {
			this.timeline.say("etcd is not installed (" + missing.getMessage() + ")");
			this.timeline.say("falling back to direct mode: static endpoints, no registry");
			return false;
		}
		this.etcd = EtcdProcess.startSingle();
		this.timeline.say("etcd " + this.etcd.hostAndPort() + " started (its own data dir, removed at the end)");
		return true;
	}

	private ManagedApp server(int n, boolean etcdMode) {
		return server(n, etcdMode, "0");
	}

	private ManagedApp server(int n, boolean etcdMode, String port) {
		String host = "127.0.0." + n;
		List<String> args = new ArrayList<>(List.of("--server.address=" + host, "--server.port=" + port));
		if (etcdMode) {
			args.addAll(List.of("--spring.profiles.active=etcd", "--rpc.listen-on=" + host,
					"--rpc.etcd.hosts=" + this.etcd.hostAndPort(), "--rpc.etcd.ttl=" + TTL,
					"--rpc.etcd.request-timeout=1s"));
		}
		ManagedApp app = ManagedApp.jar("server-" + n, jar("sample-server"), this.work, jvmArgs(), args);
		this.apps.add(app);
		return app;
	}

	private ManagedApp client(boolean etcdMode, List<String> addresses) {
		List<String> args = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0"));
		if (etcdMode) {
			args.addAll(List.of("--spring.profiles.active=etcd", "--rpc.etcd.hosts=" + this.etcd.hostAndPort(),
					"--spring.cloud.service-registry.auto-registration.enabled=false"));
		}
		else {
			args.addAll(List.of("--rpc.clients[0].name=" + SERVICE,
					"--rpc.clients[0].endpoints=" + String.join(",", addresses)));
		}
		ManagedApp app = ManagedApp.jar("client", jar("sample-client"), this.work, jvmArgs(), args);
		this.apps.add(app);
		return app;
	}

	private Path jar(String module) {
		return this.root.resolve(module).resolve("target").resolve(module + "-0.1.0-SNAPSHOT.jar");
	}

	private static List<String> jvmArgs() {
		return List.of("-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
	}

	private void printVerdict() {
		if (this.timeline.storyHeld()) {
			this.timeline.say("the story held");
		}
		else {
			this.timeline.say("the story did NOT hold: " + this.timeline.broken());
			this.apps.forEach((app) -> System.out.println("--- " + app.name() + " log tail:\n" + app.logTail(15)));
		}
	}

	private static boolean waitFor(Duration timeout, BooleanSupplier condition) {
		try {
			Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
			return true;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	private static long millisSince(long nanos) {
		return (System.nanoTime() - nanos) / 1_000_000;
	}

	private void cleanUp() {
		this.apps.forEach(ManagedApp::kill);
		if (this.etcd != null) {
			this.etcd.close();
		}
		try (var files = Files.walk(this.work)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException ex) {
			// temp files; best effort
		}
	}

}

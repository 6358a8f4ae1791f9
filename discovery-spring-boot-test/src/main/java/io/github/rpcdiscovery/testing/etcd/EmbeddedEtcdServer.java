package io.github.rpcdiscovery.testing.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@code etcd} process on 127.0.0.1, on free ports and a temp data dir that {@link #close()} deletes. Only
 * loopback: nothing outside this machine can reach it.
 */
public final class EmbeddedEtcdServer implements AutoCloseable {

	private static final String LOOPBACK = "127.0.0.1";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	/** A port picked free may be taken before etcd binds it; etcd then exits and a new pair is picked. */
	private static final int PORT_ATTEMPTS = 5;

	/** Killed when the JVM exits, should a test not close its server. */
	private static final Set<Process> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly)));
	}

	private final Path workDir;

	private final int clientPort;

	private final Process process;

	private EmbeddedEtcdServer(Path workDir, int clientPort, Process process) {
		this.workDir = workDir;
		this.clientPort = clientPort;
		this.process = process;
	}

	/**
	 * Starts etcd and returns once it answers {@code /health}.
	 * @throws AssertionError naming the install command if there is no etcd binary
	 */
	public static EmbeddedEtcdServer start() {
		Path etcd = EtcdExecutables.etcd();
		Path workDir = createWorkDir();
		IllegalStateException failure = null;
		for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
			int clientPort = freePort();
			int peerPort = freePort();
			Process process = launch(etcd, workDir, clientPort, peerPort);
			EmbeddedEtcdServer server = new EmbeddedEtcdServer(workDir, clientPort, process);
			try {
				server.awaitHealthy();
				return server;
			}
			catch (IllegalStateException ex) {
				process.destroyForcibly();
				failure = ex;
				if (!server.log().contains("address already in use")) {
					break;
				}
				deleteRecursively(workDir.resolve("data"));
			}
		}
		deleteRecursively(workDir);
		throw failure;
	}

	private static Process launch(Path etcd, Path workDir, int clientPort, int peerPort) {
		String clientUrl = "http://" + LOOPBACK + ":" + clientPort;
		String peerUrl = "http://" + LOOPBACK + ":" + peerPort;
		List<String> command = List.of(etcd.toString(), "--name", "embedded", "--data-dir",
				workDir.resolve("data").toString(), "--listen-client-urls", clientUrl, "--advertise-client-urls",
				clientUrl, "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
				"--initial-cluster", "embedded=" + peerUrl, "--initial-cluster-token", "embedded-" + clientPort);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(workDir.resolve("etcd.log").toFile())
				.start();
			running.add(process);
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
	}

	/** Polls {@code /health}, waiting on the process between polls so that an early exit ends the wait at once. */
	private void awaitHealthy() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (EtcdHealth.isHealthy(endpoint())) {
				return;
			}
			if (Thread.currentThread().isInterrupted()) {
				throw new IllegalStateException("Interrupted while waiting for etcd at " + endpoint());
			}
			if (waitForExit(Duration.ofMillis(100))) {
				throw new IllegalStateException(
						"etcd exited with " + this.process.exitValue() + " while starting; its log:\n" + log());
			}
		}
		throw new IllegalStateException("etcd did not answer " + endpoint() + "/health within " + STARTUP_TIMEOUT
				+ "; its log:\n" + log());
	}

	private boolean waitForExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !this.process.isAlive();
		}
	}

	/** {@code 127.0.0.1:<port>}, the form {@code rpc.etcd.hosts} takes. */
	public String hostAndPort() {
		return LOOPBACK + ":" + this.clientPort;
	}

	/** {@code http://127.0.0.1:<port>} */
	public String endpoint() {
		return "http://" + hostAndPort();
	}

	public int port() {
		return this.clientPort;
	}

	public boolean isRunning() {
		return this.process.isAlive();
	}

	/** What etcd printed so far, for failure messages. */
	public String log() {
		try {
			Path log = this.workDir.resolve("etcd.log");
			return Files.exists(log) ? Files.readString(log) : "";
		}
		catch (IOException ex) {
			return "(unreadable: " + ex.getMessage() + ")";
		}
	}

	/** Stops etcd (SIGTERM, then SIGKILL after 10 s) and deletes its data. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!waitForExit(Duration.ofSeconds(10))) {
				this.process.destroyForcibly();
				waitForExit(Duration.ofSeconds(10));
			}
		}
		running.remove(this.process);
		deleteRecursively(this.workDir);
	}

	@Override
	public String toString() {
		return "embedded etcd at " + endpoint();
	}

	private static Path createWorkDir() {
		try {
			return Files.createTempDirectory("embedded-etcd-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteRecursively(Path path) {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(path)) {
			walk.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temp dir is not worth failing a test for
		}
	}

}

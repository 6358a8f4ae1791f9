package io.github.rpcdiscovery.test.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.rpcdiscovery.test.net.FreePorts;
import io.github.rpcdiscovery.testing.etcd.EtcdHealth;
import org.awaitility.Awaitility;

/**
 * One real {@code etcd} server process on loopback, with its own free ports and temp data dir, for tests that need a
 * real registry and real faults: {@link #kill()} (SIGKILL), {@link #pause()} / {@link #resume()} (SIGSTOP / SIGCONT),
 * {@link #restart()} on the same data dir, {@link #wipeData()} for a restart from nothing. Only processes started here
 * are ever signalled.
 */
public final class EtcdProcess implements AutoCloseable {

	private static final Set<Process> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly)));
	}

	private final String name;

	private final int clientPort;

	private final int peerPort;

	private final Path dataDir;

	private final Path logFile;

	private final List<String> extraArgs;

	private volatile String initialCluster;

	private volatile String clusterState = "new";

	private volatile String clusterToken;

	private volatile String scheme = "http";

	private volatile Process process;

	private volatile boolean ownsWorkDir = true;

	EtcdProcess(String name, Path workDir, List<String> extraArgs) {
		this.name = name;
		this.clientPort = FreePorts.next();
		this.peerPort = FreePorts.next();
		this.dataDir = workDir.resolve(name + ".etcd");
		this.logFile = workDir.resolve(name + ".log");
		this.extraArgs = List.copyOf(extraArgs);
		this.initialCluster = name + "=" + peerUrl();
		this.clusterToken = "rpc-discovery-test-" + name + "-" + this.clientPort;
	}

	/** A single-member etcd with a fresh temp dir; started. */
	public static EtcdProcess startSingle(String... extraArgs) {
		EtcdProcess etcd = new EtcdProcess("etcd", newWorkDir(), List.of(extraArgs));
		etcd.start();
		return etcd;
	}

	/** A single-member etcd, not yet started, for tests that must add flags (TLS) that depend on its ports. */
	public static EtcdProcess create(String... extraArgs) {
		return new EtcdProcess("etcd", newWorkDir(), List.of(extraArgs));
	}

	static Path newWorkDir() {
		try {
			return Files.createTempDirectory("rpc-discovery-etcd-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void joinCluster(String initialCluster, String token) {
		this.initialCluster = initialCluster;
		this.clusterToken = token;
		this.ownsWorkDir = false;
	}

	/** Serves clients over TLS: the URLs become https (the TLS flags themselves are extra args). */
	public EtcdProcess withTlsClientUrls() {
		this.scheme = "https";
		return this;
	}

	/** Starts the process and waits until it serves. */
	public synchronized void start() {
		launch();
		awaitServing();
	}

	synchronized void launch() {
		if (this.process != null && this.process.isAlive()) {
			throw new IllegalStateException(this.name + " is already running");
		}
		List<String> command = new ArrayList<>(List.of(EtcdBinary.etcd().toString(), "--name", this.name,
				"--data-dir", this.dataDir.toString(), "--listen-client-urls", clientUrl(), "--advertise-client-urls",
				clientUrl(), "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
				"--initial-cluster", this.initialCluster, "--initial-cluster-state", this.clusterState,
				"--initial-cluster-token", this.clusterToken, "--logger=zap", "--log-outputs=" + this.logFile,
				"--experimental-watch-progress-notify-interval=1s"));
		command.addAll(this.extraArgs);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.resolveSibling(this.name + ".out").toFile()))
				.start();
			running.add(this.process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start " + command, ex);
		}
		// after the first start the member exists in its data dir: a restart must not bootstrap again
		this.clusterState = "existing";
	}

	/** Waits until {@code /health} answers {@code true} (which needs a leader). */
	public void awaitServing() {
		Awaitility.await(this.name + " serving at " + clientUrl())
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				if (!isAlive()) {
					throw new AssertionError(this.name + " exited; log: " + logTail());
				}
				return isHealthy();
			});
	}

	/** Whether the member answers {@code /health} with {@code true}. Plain HTTP only. */
	public boolean isHealthy() {
		return this.scheme.equals("http") ? EtcdHealth.isHealthy(clientUrl()) : isListening();
	}

	private boolean isListening() {
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.connect(new java.net.InetSocketAddress("127.0.0.1", this.clientPort), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** SIGKILL, and waits until the process is gone. */
	public synchronized void kill() {
		Process current = this.process;
		if (current != null) {
			current.destroyForcibly();
			waitFor(current);
		}
	}

	/** SIGTERM, and waits until the process is gone. */
	public synchronized void stop() {
		Process current = this.process;
		if (current != null && current.isAlive()) {
			current.destroy();
			if (!waitFor(current)) {
				current.destroyForcibly();
				waitFor(current);
			}
		}
	}

	/** Starts again on the same data dir. */
	public synchronized void restart() {
		stop();
		start();
	}

	/** SIGSTOP: the process stays, frozen. */
	public void pause() {
		signal("STOP");
	}

	/** SIGCONT */
	public void resume() {
		signal("CONT");
	}

	/** Deletes the data dir (the process must be stopped): the next start is a brand-new etcd. */
	public synchronized void wipeData() {
		if (isAlive()) {
			throw new IllegalStateException("stop " + this.name + " before wiping its data");
		}
		deleteRecursively(this.dataDir);
		this.clusterState = "new";
	}

	/**
	 * Deletes the data dir of a member that was removed from its cluster (the process must be stopped): the next
	 * start joins the running cluster as a brand-new member ({@code --initial-cluster-state existing}).
	 */
	synchronized void wipeDataToRejoin() {
		wipeData();
		this.clusterState = "existing";
	}

	public boolean isAlive() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	public long pid() {
		return this.process.pid();
	}

	public String name() {
		return this.name;
	}

	/** {@code http://127.0.0.1:<client port>} (https with TLS) */
	public String clientUrl() {
		return this.scheme + "://127.0.0.1:" + this.clientPort;
	}

	/** {@code 127.0.0.1:<client port>}, as go-zero's {@code Etcd.Hosts} lists it */
	public String hostAndPort() {
		return "127.0.0.1:" + this.clientPort;
	}

	public int clientPort() {
		return this.clientPort;
	}

	/** {@code http://127.0.0.1:<peer port>} */
	public String peerUrl() {
		return "http://127.0.0.1:" + this.peerPort;
	}

	public Path dataDir() {
		return this.dataDir;
	}

	public Path workDir() {
		return this.dataDir.getParent();
	}

	/** The last lines etcd logged, for assertion messages. */
	public String logTail() {
		try {
			List<String> lines = Files.exists(this.logFile) ? Files.readAllLines(this.logFile) : List.of();
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	/** etcdctl against this member. */
	public EtcdCtl etcdctl() {
		return new EtcdCtl(hostAndPort());
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
			if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean waitFor(Process process) {
		try {
			boolean exited = process.waitFor(15, TimeUnit.SECONDS);
			if (exited) {
				running.remove(process);
			}
			return exited;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static void deleteRecursively(Path path) {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(path)) {
			walk.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Stops the process (resuming it first if paused) and deletes its files. */
	@Override
	public void close() {
		if (isAlive()) {
			signalQuietly("CONT");
			kill();
		}
		if (this.ownsWorkDir) {
			deleteRecursively(workDir());
		}
	}

	private void signalQuietly(String signal) {
		try {
			signal(signal);
		}
		catch (RuntimeException ex) {
			// best effort
		}
	}

	@Override
	public String toString() {
		return this.name + "@" + clientUrl();
	}

}

package io.github.rpcdiscovery.test.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Spring Boot application in a child JVM, for demos, rolling-restart tests and benchmarks: started on port 0 (it
 * writes the port it got to a file, through Boot's {@code WebServerPortFileWriter} and {@code PORTFILE}), stopped
 * gracefully (SIGTERM, timed) or killed (SIGKILL). Only processes started here are ever signalled.
 */
public final class ManagedApp implements AutoCloseable {

	private static final Set<Process> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly)));
	}

	private final String name;

	private final List<String> command;

	private final Path portFile;

	private final Path logFile;

	private volatile Process process;

	private ManagedApp(String name, List<String> command, Path workDir) {
		this.name = name;
		this.command = command;
		this.portFile = workDir.resolve(name + ".port");
		this.logFile = workDir.resolve(name + ".log");
	}

	/** {@code java [jvmArgs] -jar <jar> [args]}; pass {@code --server.port=0} to let it pick a free port. */
	public static ManagedApp jar(String name, Path jar, Path workDir, List<String> jvmArgs, List<String> args) {
		List<String> command = new ArrayList<>(List.of(javaBinary()));
		command.addAll(jvmArgs);
		command.addAll(List.of("-jar", jar.toString()));
		command.addAll(args);
		return new ManagedApp(name, List.copyOf(command), workDir);
	}

	/** {@code java [jvmArgs] -cp <classpath> <mainClass> [args]} */
	public static ManagedApp main(String name, String classpath, String mainClass, Path workDir, List<String> jvmArgs,
			List<String> args) {
		List<String> command = new ArrayList<>(List.of(javaBinary()));
		command.addAll(jvmArgs);
		command.addAll(List.of("-cp", classpath, mainClass));
		command.addAll(args);
		return new ManagedApp(name, List.copyOf(command), workDir);
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** Starts the process; {@link #awaitPort(Duration)} waits until it listens. */
	public synchronized ManagedApp start() {
		if (isAlive()) {
			throw new IllegalStateException(this.name + " is already running");
		}
		try {
			Files.deleteIfExists(this.portFile);
			ProcessBuilder builder = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()));
			builder.environment().put("PORTFILE", this.portFile.toString());
			this.process = builder.start();
			running.add(this.process);
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start " + this.name, ex);
		}
	}

	/** Waits until the application wrote its port; fails with the log tail if it died or took too long. */
	public int awaitPort(Duration timeout) {
		try {
			return Awaitility.await(this.name + " listening")
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> {
					if (!isAlive()) {
						throw new IllegalStateException(this.name + " exited before listening; log:\n" + logTail(40));
					}
					return readPort();
				}, (port) -> port != null);
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException(this.name + " did not listen within " + timeout + "; log:\n" + logTail(40), ex);
		}
	}

	/** The port it listens on (after {@link #awaitPort}). */
	public int port() {
		Integer port = readPort();
		if (port == null) {
			throw new IllegalStateException(this.name + " has not written its port");
		}
		return port;
	}

	private Integer readPort() {
		try {
			String text = Files.exists(this.portFile) ? Files.readString(this.portFile).strip() : "";
			return text.isEmpty() ? null : Integer.valueOf(text);
		}
		catch (IOException | NumberFormatException ex) {
			return null; // being written
		}
	}

	/** SIGTERM and wait for the exit; returns how long the graceful shutdown took. */
	public Duration stop(Duration timeout) {
		Process current = this.process;
		if (current == null || !current.isAlive()) {
			return Duration.ZERO;
		}
		long start = System.nanoTime();
		current.destroy();
		try {
			if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				current.destroyForcibly();
				current.waitFor(10, TimeUnit.SECONDS);
				throw new IllegalStateException(this.name + " did not stop within " + timeout + "; killed it");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		running.remove(current);
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/** SIGKILL: no shutdown hook runs, nothing is deregistered. */
	public void kill() {
		Process current = this.process;
		if (current != null) {
			current.destroyForcibly();
			try {
				current.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			running.remove(current);
		}
	}

	/** The process id of the running process. */
	public long pid() {
		return this.process.pid();
	}

	/** SIGSTOP: the JVM stays, frozen (its timers, its lease renewals, its answers). */
	public void pause() {
		signal("STOP");
	}

	/** SIGCONT */
	public void resume() {
		signal("CONT");
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

	public boolean isAlive() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	public String name() {
		return this.name;
	}

	public Path logFile() {
		return this.logFile;
	}

	/** The last lines of the application's log. */
	public String logTail(int lines) {
		try {
			List<String> all = Files.exists(this.logFile) ? Files.readAllLines(this.logFile) : List.of();
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	@Override
	public void close() {
		kill();
	}

}

package io.github.rpcdiscovery.soak.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.rpcdiscovery.test.app.ManagedApp;
import io.github.rpcdiscovery.test.net.TcpProxy;

/**
 * One server or client JVM of the soak with its own path to etcd: a {@link TcpProxy} per etcd member, so that this
 * JVM alone can be cut off from etcd (blackholed, as a dead network path is: connections stay open, bytes vanish)
 * while the others are not. A server restart keeps the name, the host and the proxies; the process is new.
 */
final class SoakJvm implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final String name;

	private final String host;

	private final List<TcpProxy> proxies;

	private final Function<String, ManagedApp> launcher;

	private volatile ManagedApp app;

	private volatile int port;

	private volatile boolean paused;

	private volatile boolean partitioned;

	private int generation;

	SoakJvm(String name, String host, List<Integer> etcdPorts, Function<String, ManagedApp> launcher) {
		this.name = name;
		this.host = host;
		this.proxies = etcdPorts.stream().map((etcdPort) -> TcpProxy.start("127.0.0.1", etcdPort)).toList();
		this.launcher = launcher;
	}

	/** The {@code rpc.etcd.hosts} of this JVM: its own proxies. */
	String etcdHosts() {
		return this.proxies.stream().map(TcpProxy::address).collect(Collectors.joining(","));
	}

	Set<Integer> proxyPorts() {
		return this.proxies.stream().map(TcpProxy::port).collect(Collectors.toSet());
	}

	/** Starts a new process (the first, or the next after a stop or a kill) and waits until it listens. */
	synchronized void start(Duration timeout) {
		this.generation++;
		this.app = this.launcher.apply(this.name + "-" + this.generation).start();
		this.port = this.app.awaitPort(timeout);
	}

	/** SIGTERM: a graceful stop, deregistration included. */
	void stop() {
		this.app.stop(Duration.ofSeconds(30));
	}

	/** SIGKILL: nothing deregisters. */
	void kill() {
		this.app.kill();
	}

	void pause() {
		this.app.pause();
		this.paused = true;
	}

	void resume() {
		this.paused = false;
		this.app.resume();
	}

	void partition() {
		this.proxies.forEach(TcpProxy::blackhole);
		this.partitioned = true;
	}

	void heal() {
		this.partitioned = false;
		this.proxies.forEach(TcpProxy::heal);
	}

	/** Running and not frozen: a server in this state should be registered once the system is quiet. */
	boolean isServing() {
		ManagedApp current = this.app;
		return current != null && current.isAlive() && !this.paused;
	}

	boolean isPartitioned() {
		return this.partitioned;
	}

	String name() {
		return this.name;
	}

	/** {@code host:port} as it registers itself. */
	String address() {
		return this.host + ":" + this.port;
	}

	long pid() {
		return this.app.pid();
	}

	Path logFile() {
		return this.app.logFile();
	}

	/** {@code GET http://host:port<path>}; null when it does not answer within 2 s. */
	String get(String path) {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + path))
				.timeout(Duration.ofSeconds(2))
				.build();
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 ? response.body() : null;
		}
		catch (java.io.IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	static List<Integer> etcdPorts(List<io.github.rpcdiscovery.test.etcd.EtcdProcess> members) {
		List<Integer> ports = new ArrayList<>();
		members.forEach((member) -> ports.add(member.clientPort()));
		return ports;
	}

	@Override
	public void close() {
		ManagedApp current = this.app;
		if (current != null) {
			current.kill();
		}
		this.proxies.forEach(TcpProxy::close);
	}

}

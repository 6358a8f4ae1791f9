package io.github.rpcdiscovery.soak.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.rpcdiscovery.soak.app.SoakClientApp;
import io.github.rpcdiscovery.soak.app.SoakServerApp;
import io.github.rpcdiscovery.test.app.ManagedApp;
import io.github.rpcdiscovery.test.etcd.EtcdCluster;

/**
 * The system under soak, all on loopback: a 3-member etcd cluster, N servers (127.0.0.81, .82, ...) and M clients
 * (127.0.0.101, ...), each server and client its own JVM with its own proxies to etcd.
 */
final class SoakSystem implements AutoCloseable {

	static final String SERVICE = "soak-server";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private final SoakConfig config;

	private final Path workDir;

	private final EtcdCluster cluster;

	private final List<SoakJvm> servers = new ArrayList<>();

	private final List<SoakJvm> clients = new ArrayList<>();

	SoakSystem(SoakConfig config) {
		this.config = config;
		try {
			this.workDir = Files.createTempDirectory("rpc-discovery-soak-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.cluster = EtcdCluster.start(3);
	}

	/** Starts the servers, then the clients (which call the servers from their start on). */
	void start() {
		List<Integer> etcdPorts = SoakJvm.etcdPorts(this.cluster.members());
		for (int i = 0; i < this.config.servers(); i++) {
			String host = "127.0.0." + (81 + i);
			SoakJvm[] self = new SoakJvm[1];
			self[0] = new SoakJvm("server" + (i + 1), host, etcdPorts,
					(name) -> launch(name, SoakServerApp.class, serverArguments(host, self[0].etcdHosts())));
			this.servers.add(self[0]);
		}
		for (int i = 0; i < this.config.clients(); i++) {
			String host = "127.0.0." + (101 + i);
			SoakJvm[] self = new SoakJvm[1];
			self[0] = new SoakJvm("client" + (i + 1), host, etcdPorts,
					(name) -> launch(name, SoakClientApp.class, clientArguments(host, self[0].etcdHosts())));
			this.clients.add(self[0]);
		}
		// one at a time: a 2-core machine starts JVMs faster in a row than all at once
		this.servers.forEach((server) -> server.start(START_TIMEOUT));
		this.clients.forEach((client) -> client.start(START_TIMEOUT));
	}

	private List<String> serverArguments(String host, String etcdHosts) {
		return List.of("--spring.application.name=" + SERVICE, "--rpc.etcd.hosts=" + etcdHosts,
				"--rpc.listen-on=" + host, "--server.address=" + host, "--server.port=0",
				"--rpc.etcd.ttl=" + this.config.ttlSeconds() + "s", "--rpc.shutdown.drain=500ms");
	}

	private List<String> clientArguments(String host, String etcdHosts) {
		return List.of("--spring.application.name=soak-client", "--rpc.etcd.hosts=" + etcdHosts,
				"--rpc.registration.enabled=false", "--rpc.clients[0].name=" + SERVICE,
				"--rpc.clients[0].etcd.key=" + SERVICE, "--server.address=" + host, "--server.port=0",
				"--soak.service=" + SERVICE, "--soak.rps=" + this.config.rps(),
				"--spring.cloud.loadbalancer.retry.enabled=true",
				"--spring.cloud.loadbalancer.retry.max-retries-on-next-service-instance=2");
	}

	private ManagedApp launch(String name, Class<?> main, List<String> arguments) {
		List<String> all = new ArrayList<>(arguments);
		all.addAll(List.of("--logging.level.root=WARN", "--logging.level.io.github.rpcdiscovery=INFO",
				"--spring.main.banner-mode=off"));
		return ManagedApp.main(name, System.getProperty("java.class.path"), main.getName(), this.workDir,
				List.of("-Xmx128m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"), all);
	}

	EtcdCluster cluster() {
		return this.cluster;
	}

	List<SoakJvm> servers() {
		return this.servers;
	}

	List<SoakJvm> clients() {
		return this.clients;
	}

	/** The addresses of the servers that run and are not frozen: what etcd should list once the system is quiet. */
	Set<String> servingAddresses() {
		return this.servers.stream().filter(SoakJvm::isServing).map(SoakJvm::address).collect(Collectors.toSet());
	}

	/** etcd's registrations of the service, key to value, read from the live members; null if etcd does not answer. */
	Map<String, String> registrations() {
		List<String> lines;
		try {
			lines = this.cluster.etcdctl().getPrefix(SERVICE + "/");
		}
		catch (AssertionError | RuntimeException ex) {
			return null;
		}
		Map<String, String> registrations = new LinkedHashMap<>();
		for (int i = 0; i + 1 < lines.size(); i += 2) {
			registrations.put(lines.get(i), lines.get(i + 1));
		}
		return registrations;
	}

	Path workDir() {
		return this.workDir;
	}

	@Override
	public void close() {
		this.clients.forEach(SoakJvm::close);
		this.servers.forEach(SoakJvm::close);
		this.cluster.close();
	}

}

package io.github.rpcdiscovery.test.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.rpcdiscovery.test.etcd.EtcdProcess;

/**
 * A real etcd on loopback and the {@link RegisteredHttpServer}s a test starts against it; closing it closes them all,
 * then etcd.
 */
public final class RegisteredServers implements AutoCloseable {

	private final EtcdProcess etcd = EtcdProcess.startSingle();

	private final List<RegisteredHttpServer> servers = new CopyOnWriteArrayList<>();

	public EtcdProcess etcd() {
		return this.etcd;
	}

	/** A server for {@code service} on {@code loopbackHost} (127.0.0.x), listening, not yet registered. */
	public RegisteredHttpServer start(String service, String loopbackHost) {
		RegisteredHttpServer server = RegisteredHttpServer.start(service, loopbackHost, this.etcd.etcdctl());
		this.servers.add(server);
		return server;
	}

	/** A server for {@code service} on {@code loopbackHost} (127.0.0.x), listening and registered. */
	public RegisteredHttpServer startRegistered(String service, String loopbackHost) {
		return start(service, loopbackHost).register();
	}

	@Override
	public void close() {
		this.servers.forEach(RegisteredHttpServer::close);
		this.etcd.close();
	}

}

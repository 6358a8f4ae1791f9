package io.github.rpcdiscovery.test.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;

/**
 * An HTTP server on a loopback address that registers in etcd the way a go-zero server does: a lease, then
 * {@code <service>/<lease id>} → {@code host:port} (written with etcdctl, independently of the code under test).
 * {@code /hello} (any path ending in it, any method) answers with its own {@code host:port} and counts the calls, so a
 * test sees which instance answered a call made through a gateway or a client.
 * <p>
 * What happens to a server in production: {@link #deregister()} (its lease revoked, as a graceful stop does, while it
 * still answers), {@link #kill()} (the port closes, the key stays until its lease expires, as after {@code kill -9}),
 * {@link #delay} (a slow instance), {@link #dropConnections} (the request arrives, the connection closes unanswered).
 */
public final class RegisteredHttpServer implements AutoCloseable {

	/** Long enough for any test here: the key of a killed server must outlive the test, as it would for TTL/3. */
	private static final long LEASE_TTL_SECONDS = 300;

	private final String service;

	private final EtcdCtl etcdctl;

	private final HttpServer server;

	private final ExecutorService executor = Executors.newFixedThreadPool(16);

	private final AtomicInteger calls = new AtomicInteger();

	private volatile Duration delay = Duration.ZERO;

	private volatile boolean dropping;

	private volatile long leaseId = -1;

	private volatile long changedAt;

	private RegisteredHttpServer(String service, String loopbackHost, EtcdCtl etcdctl) {
		this.service = service;
		this.etcdctl = etcdctl;
		try {
			this.server = HttpServer.create(new InetSocketAddress(loopbackHost, 0), 50);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::answer);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/** Starts listening on {@code loopbackHost} (127.0.0.x) and a free port, not yet registered. */
	public static RegisteredHttpServer start(String service, String loopbackHost, EtcdCtl etcdctl) {
		return new RegisteredHttpServer(service, loopbackHost, etcdctl);
	}

	/** Grants a lease and puts {@code <service>/<lease id>} → {@code host:port}, as go-zero's {@code Publisher}. */
	public synchronized RegisteredHttpServer register() {
		if (this.leaseId == -1) {
			long lease = this.etcdctl.grantLease(LEASE_TTL_SECONDS);
			this.etcdctl.put(this.service + "/" + lease, address(), lease);
			this.changedAt = System.nanoTime();
			this.leaseId = lease;
		}
		return this;
	}

	/** Revokes the lease (the key goes with it); the server keeps answering. */
	public synchronized void deregister() {
		if (this.leaseId != -1) {
			this.etcdctl.revoke(this.leaseId);
			this.changedAt = System.nanoTime();
			this.leaseId = -1;
		}
	}

	/** Closes the port at once; the key stays registered, as after {@code kill -9} before the lease expires. */
	public void kill() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void answer(HttpExchange exchange) throws IOException {
		this.calls.incrementAndGet();
		exchange.getRequestBody().readAllBytes();
		if (this.dropping) {
			exchange.close();
			return;
		}
		Duration wait = this.delay;
		if (!wait.isZero()) {
			try {
				Thread.sleep(wait.toMillis()); // the fault being simulated: a slow instance
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		byte[] body = address().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/plain");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	/**
	 * How long ago its last registration or deregistration was done: from the moment etcdctl's put (or revoke) returned,
	 * after etcd had committed it (a process's own start and exit are not the code under test, and take hundreds of
	 * milliseconds on a loaded machine).
	 */
	public Duration sinceLastChange() {
		return Duration.ofNanos(System.nanoTime() - this.changedAt);
	}

	public String service() {
		return this.service;
	}

	/** {@code host:port}, what it registers and what it answers. */
	public String address() {
		InetSocketAddress bound = this.server.getAddress();
		return bound.getHostString() + ":" + bound.getPort();
	}

	public int calls() {
		return this.calls.get();
	}

	/** Answers every call this much later. */
	public void delay(Duration delay) {
		this.delay = delay;
	}

	/** Reads each request, then closes the connection without answering. */
	public void dropConnections(boolean dropping) {
		this.dropping = dropping;
	}

	/** Deregisters (if etcd answers) and closes the port. */
	@Override
	public void close() {
		try {
			deregister();
		}
		catch (AssertionError | RuntimeException ex) {
			// etcd already gone at the end of a test: the lease expires by itself
		}
		kill();
	}

}

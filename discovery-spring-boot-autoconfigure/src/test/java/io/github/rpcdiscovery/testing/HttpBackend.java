package io.github.rpcdiscovery.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny HTTP backend on a loopback address and a free port: {@code GET /hello} (and {@code POST /hello}) answers with
 * its own {@code host:port} and counts the calls. Enough to see where a load-balanced call went.
 * <p>
 * Faults on demand: answer with another status ({@link #respondWith}), answer late ({@link #delay}), close connections
 * without answering ({@link #dropConnections}), close the port so connections are refused ({@link #stop}) and open it
 * again on the same address ({@link #restart}).
 */
public final class HttpBackend implements AutoCloseable {

	private final InetSocketAddress address;

	private final AtomicInteger calls = new AtomicInteger();

	private volatile HttpServer server;

	private volatile ExecutorService executor;

	private volatile int status = 200;

	private volatile Duration delay = Duration.ZERO;

	private volatile boolean dropping;

	private boolean running = true;

	private HttpBackend(InetSocketAddress address) {
		this.server = bind(address);
		this.address = this.server.getAddress();
	}

	public static HttpBackend start(String loopbackHost) {
		return start(loopbackHost, 0);
	}

	/** On a given port, for targets that name the port (e.g. {@code k8s://ns/svc:3456}); 0 for a free one. */
	public static HttpBackend start(String loopbackHost, int port) {
		return new HttpBackend(new InetSocketAddress(loopbackHost, port));
	}

	private HttpServer bind(InetSocketAddress bindAddress) {
		try {
			HttpServer created = HttpServer.create(bindAddress, 50);
			created.createContext("/hello", this::answer);
			this.executor = Executors.newFixedThreadPool(16);
			created.setExecutor(this.executor);
			created.start();
			return created;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void answer(HttpExchange exchange) throws IOException {
		this.calls.incrementAndGet();
		exchange.getRequestBody().readAllBytes();
		if (this.dropping) {
			// the request arrived; the connection closes without an answer
			exchange.close();
			return;
		}
		Duration wait = this.delay;
		if (!wait.isZero()) {
			try {
				Thread.sleep(wait.toMillis()); // the fault being simulated: a slow backend
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		byte[] body = address().getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(this.status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	public String address() {
		return this.address.getHostString() + ":" + this.address.getPort();
	}

	public int port() {
		return this.address.getPort();
	}

	public int calls() {
		return this.calls.get();
	}

	public void respondWith(int status) {
		this.status = status;
	}

	/** Answers every call this much later. */
	public void delay(Duration delay) {
		this.delay = delay;
	}

	/** Reads each request, then closes the connection without answering (or answers again). */
	public void dropConnections(boolean dropping) {
		this.dropping = dropping;
	}

	/** Closes the port: connections are refused until {@link #restart()}. */
	public synchronized void stop() {
		if (this.running) {
			this.running = false;
			this.server.stop(0);
			this.executor.shutdownNow();
		}
	}

	/** Opens the port again, on the same address. */
	public synchronized void restart() {
		if (!this.running) {
			this.server = bind(this.address);
			this.running = true;
		}
	}

	@Override
	public void close() {
		stop();
	}

}

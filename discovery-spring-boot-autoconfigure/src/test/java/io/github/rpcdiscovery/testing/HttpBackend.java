package io.github.rpcdiscovery.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A tiny HTTP backend on a loopback address and a free port: {@code GET /hello} answers with its own
 * {@code host:port} and counts the calls. Enough to see where a load-balanced call went.
 */
public final class HttpBackend implements AutoCloseable {

	private final HttpServer server;

	private final AtomicInteger calls = new AtomicInteger();

	private volatile int status = 200;

	private HttpBackend(HttpServer server) {
		this.server = server;
	}

	public static HttpBackend start(String loopbackHost) {
		return start(loopbackHost, 0);
	}

	/** On a given port, for targets that name the port (e.g. {@code k8s://ns/svc:3456}); 0 for a free one. */
	public static HttpBackend start(String loopbackHost, int port) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(loopbackHost, port), 50);
			HttpBackend backend = new HttpBackend(server);
			server.createContext("/hello", (exchange) -> {
				backend.calls.incrementAndGet();
				byte[] body = backend.address().getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(backend.status, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.setExecutor(Executors.newFixedThreadPool(4));
			server.start();
			return backend;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String address() {
		return this.server.getAddress().getHostString() + ":" + this.server.getAddress().getPort();
	}

	public int calls() {
		return this.calls.get();
	}

	public void respondWith(int status) {
		this.status = status;
	}

	@Override
	public void close() {
		this.server.stop(0);
		((java.util.concurrent.ExecutorService) this.server.getExecutor()).shutdownNow();
	}

}

package io.github.rpcdiscovery.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user of the sample-gateway: calls {@code GET /api/hello} back to back (the gateway's {@code lb://sample-server}
 * route) and counts which sample-server answered ({@code "instance":"host:port"}) and how many calls failed.
 */
final class GatewayProbe implements AutoCloseable {

	private static final Pattern INSTANCE = Pattern.compile("\"instance\":\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final URI hello;

	private final Map<String, Integer> spread = new TreeMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicInteger failures = new AtomicInteger();

	private volatile boolean running;

	private Thread loader;

	GatewayProbe(int gatewayPort) {
		this.hello = URI.create("http://127.0.0.1:" + gatewayPort + "/api/hello");
	}

	void startLoad() {
		this.running = true;
		this.loader = new Thread(() -> {
			while (this.running) {
				call();
			}
		}, "demo-gateway-load");
		this.loader.setDaemon(true);
		this.loader.start();
	}

	private void call() {
		String instance = null;
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(this.hello).timeout(Duration.ofSeconds(20)).build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher matcher = INSTANCE.matcher(response.body());
			if (response.statusCode() == 200 && matcher.find()) {
				instance = matcher.group(1);
			}
		}
		catch (IOException ex) {
			// counted as a failure below
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
			return;
		}
		record(instance);
	}

	private synchronized void record(String instance) {
		this.calls.incrementAndGet();
		if (instance == null) {
			this.failures.incrementAndGet();
		}
		else {
			this.spread.merge(instance, 1, Integer::sum);
		}
	}

	int calls() {
		return this.calls.get();
	}

	int failures() {
		return this.failures.get();
	}

	/** Which server answered how many calls since the last reset. */
	synchronized Map<String, Integer> spread() {
		return new TreeMap<>(this.spread);
	}

	synchronized Map<String, Integer> spreadAndReset() {
		Map<String, Integer> copy = new TreeMap<>(this.spread);
		this.spread.clear();
		return copy;
	}

	@Override
	public void close() {
		this.running = false;
		if (this.loader != null) {
			try {
				this.loader.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}

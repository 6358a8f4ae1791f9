package io.github.rpcdiscovery.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Talks to the sample-client: what it discovers ({@code /instances}) and a steady stream of load-balanced calls
 * ({@code /call}) whose spread and failures it counts.
 */
final class ClientProbe implements AutoCloseable {

	private static final Pattern CALL = Pattern.compile("\"([0-9.\\[\\]:a-f]+)\":(\\d+)");

	private static final Pattern FAILURES = Pattern.compile("\"failures\":(\\d+)");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String base;

	private final String serviceId;

	private final Map<String, Integer> spread = new TreeMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicInteger failures = new AtomicInteger();

	private volatile boolean running;

	private Thread loader;

	ClientProbe(int clientPort, String serviceId) {
		this.base = "http://127.0.0.1:" + clientPort;
		this.serviceId = serviceId;
	}

	/** The instances the client's DiscoveryClient sees, as host:port. */
	List<String> instances() {
		String body = get("/instances/" + this.serviceId);
		String inner = body.replaceAll("[\\[\\]\"]", " ").strip();
		return inner.isEmpty() ? List.of() : Arrays.stream(inner.split(",")).map(String::strip).sorted().toList();
	}

	/** Starts calling {@code /call/<service>?n=5} back to back (about 100 calls a second), bounded by {@link #stop}. */
	void startLoad() {
		this.running = true;
		this.loader = new Thread(() -> {
			while (this.running) {
				record(get("/call/" + this.serviceId + "?n=5"));
			}
		}, "demo-load");
		this.loader.setDaemon(true);
		this.loader.start();
	}

	void stop() {
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

	private synchronized void record(String body) {
		Matcher call = CALL.matcher(body);
		while (call.find()) {
			int count = Integer.parseInt(call.group(2));
			this.spread.merge(call.group(1), count, Integer::sum);
			this.calls.addAndGet(count);
		}
		Matcher failed = FAILURES.matcher(body);
		if (failed.find()) {
			int count = Integer.parseInt(failed.group(1));
			this.failures.addAndGet(count);
			this.calls.addAndGet(count);
		}
	}

	int calls() {
		return this.calls.get();
	}

	int failures() {
		return this.failures.get();
	}

	synchronized Map<String, Integer> spreadAndReset() {
		Map<String, Integer> copy = new TreeMap<>(this.spread);
		this.spread.clear();
		return copy;
	}

	private String get(String path) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.base + path))
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 ? response.body() : "";
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	@Override
	public void close() {
		stop();
	}

}

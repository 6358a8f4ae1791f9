package io.github.rpcdiscovery.test.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP calls to an application on loopback (a gateway, a client app), as a user's browser or curl would make
 * them: no load balancing, no retry, a new request each time over a kept-alive connection.
 */
public final class LoopbackHttp {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String base;

	/** @param base e.g. {@code http://127.0.0.1:8080} */
	public LoopbackHttp(String base) {
		this.base = base;
	}

	/** {@code GET base + path}; an I/O error is returned as status 0 with its message as the body. */
	public Answer get(String path) {
		return get(path, Duration.ofSeconds(10));
	}

	/** The same, giving up after {@code timeout} (then status 0, like any I/O error). */
	public Answer get(String path, Duration timeout) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).timeout(timeout).GET().build());
	}

	private Answer send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			return new Answer(0, String.valueOf(ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UncheckedIOException(new IOException(ex));
		}
	}

	/** A status and a body. */
	public record Answer(int status, String body) {

		public boolean ok() {
			return this.status == 200;
		}

	}

}

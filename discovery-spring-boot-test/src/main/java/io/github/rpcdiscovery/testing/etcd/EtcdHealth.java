package io.github.rpcdiscovery.testing.etcd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** etcd's own readiness answer: {@code GET /health} is {@code {"health":"true"}} once the member has a leader. */
public final class EtcdHealth {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private EtcdHealth() {
	}

	/**
	 * @param clientUrl a plain-HTTP client URL of the member, e.g. {@code http://127.0.0.1:2379}
	 * @return whether it answered healthy within 2 s
	 */
	public static boolean isHealthy(String clientUrl) {
		try {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(clientUrl + "/health")).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}

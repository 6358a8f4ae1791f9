package io.github.rpcdiscovery.etcd.registration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.rpcdiscovery.test.etcd.EtcdProcess;

/**
 * What etcd itself counted ({@code /metrics} on its client URL, open even with auth on): the outcome a test waits for
 * instead of letting time pass, e.g. "etcd refused three authentications".
 */
final class EtcdServerMetrics {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private EtcdServerMetrics() {
	}

	/** {@code grpc_server_handled_total} of one method, summed over the codes that match. */
	static long handled(EtcdProcess etcd, String method, boolean ok) {
		long total = 0;
		for (String line : fetch(etcd).lines().toList()) {
			if (line.startsWith("grpc_server_handled_total{") && line.contains("grpc_method=\"" + method + "\"")
					&& line.contains("grpc_code=\"OK\"") == ok) {
				total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return total;
	}

	private static String fetch(EtcdProcess etcd) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + etcd.hostAndPort() + "/metrics"))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (IOException ex) {
			throw new IllegalStateException("etcd's /metrics did not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

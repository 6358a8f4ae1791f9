package io.github.rpcdiscovery.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rpcdiscovery.test.etcd.EtcdProcess;

/**
 * The RPCs an etcd member has started, as etcd itself counts them ({@code grpc_server_started_total} on
 * {@code /metrics}), by method: what reached etcd, whatever the client thinks it sent.
 */
final class EtcdRequests {

	private static final Pattern STARTED = Pattern
		.compile("^grpc_server_started_total\\{.*grpc_method=\"(\\w+)\".*} (\\d+(?:\\.\\d+)?(?:e\\+\\d+)?)", Pattern.MULTILINE);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private EtcdRequests() {
	}

	/** Method name to the number of RPCs started, unary calls and streams alike. */
	static Map<String, Long> byMethod(EtcdProcess etcd) {
		Map<String, Long> counts = new TreeMap<>();
		Matcher line = STARTED.matcher(metrics(etcd));
		while (line.find()) {
			counts.merge(line.group(1), (long) Double.parseDouble(line.group(2)), Long::sum);
		}
		return counts;
	}

	static long total(Map<String, Long> byMethod) {
		return byMethod.values().stream().mapToLong(Long::longValue).sum();
	}

	static String metrics(EtcdProcess etcd) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(etcd.clientUrl() + "/metrics"))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

package io.github.rpcdiscovery.sample.client;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * {@code GET /instances/{serviceId}}: what discovery sees. {@code GET /call/{serviceId}?n=30}: n load-balanced calls
 * of {@code http://<serviceId>/hello} and where they went.
 */
@RestController
class CallController {

	private static final int MAX_CALLS = 10_000;

	private final DiscoveryClient discovery;

	private final RestClient client;

	CallController(DiscoveryClient discovery, RestClient.Builder loadBalancedRestClientBuilder) {
		this.discovery = discovery;
		this.client = loadBalancedRestClientBuilder.build();
	}

	@GetMapping("/instances/{serviceId}")
	List<String> instances(@PathVariable String serviceId) {
		return this.discovery.getInstances(serviceId)
			.stream()
			.map(CallController::address)
			.sorted()
			.toList();
	}

	@GetMapping("/call/{serviceId}")
	Map<String, Object> call(@PathVariable String serviceId, @RequestParam(defaultValue = "30") int n) {
		Map<String, Integer> calls = new TreeMap<>();
		int failures = 0;
		for (int i = 0; i < Math.min(Math.max(n, 0), MAX_CALLS); i++) {
			try {
				Map<?, ?> answer = this.client.get().uri("http://{id}/hello", serviceId).retrieve().body(Map.class);
				calls.merge(String.valueOf(answer.get("instance")), 1, Integer::sum);
			}
			catch (RestClientException ex) {
				failures++;
			}
		}
		return Map.of("calls", calls, "failures", failures);
	}

	private static String address(ServiceInstance instance) {
		String host = instance.getHost().contains(":") ? "[" + instance.getHost() + "]" : instance.getHost();
		return host + ":" + instance.getPort();
	}

}

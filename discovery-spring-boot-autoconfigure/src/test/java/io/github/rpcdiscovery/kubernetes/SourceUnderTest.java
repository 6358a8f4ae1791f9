package io.github.rpcdiscovery.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link KubernetesDiscoverySource} against a mock cluster (through its proxy, with a bearer token), and what its
 * catalog shows.
 */
final class SourceUnderTest implements AutoCloseable {

	static final Duration WAIT = Duration.ofSeconds(15);

	final MockKubernetes cluster = MockKubernetes.start();

	final KubernetesClient client;

	final ServiceCatalog catalog = new ServiceCatalog();

	private KubernetesDiscoverySource source;

	SourceUnderTest(String token) {
		this.client = new KubernetesClientBuilder().withConfig(this.cluster.clientConfig(token)).build();
	}

	/** The source, created with these settings and a fast watchdog if it does not exist yet. */
	KubernetesDiscoverySource source(KubernetesProperties properties, Duration watchdog) {
		return source(properties, watchdog, WatchLiveness.DEFAULT_MAX_SILENCE);
	}

	/** The same, with a maximum silence after which a watch that delivered nothing is replaced. */
	KubernetesDiscoverySource source(KubernetesProperties properties, Duration watchdog, Duration maxSilence) {
		if (this.source == null) {
			this.source = new KubernetesDiscoverySource(this.client, this.catalog, properties, watchdog, maxSilence);
		}
		return this.source;
	}

	KubernetesDiscoverySource source() {
		return source(KubernetesProperties.defaults(), Duration.ofMillis(200));
	}

	CompletableFuture<Void> watch(String serviceId, String namespace, String service, Integer port) {
		return source().watch(new Upstream(serviceId, new KubernetesTarget(namespace, service, port), "test"));
	}

	/** The catalog's addresses of a service, sorted. */
	List<String> addresses(String serviceId) {
		return this.catalog.instances(serviceId)
			.stream()
			.map((instance) -> instance.getAddress().toString())
			.sorted()
			.toList();
	}

	void awaitAddresses(String serviceId, String... expected) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(addresses(serviceId)).containsExactly(expected));
	}

	@Override
	public void close() {
		if (this.source != null) {
			this.source.close();
		}
		this.client.close();
		this.cluster.close();
	}

}

package io.github.rpcdiscovery.grpc;


import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.rpcdiscovery.kubernetes.KubernetesDiscoverySource;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;

/**
 * A channel on go-zero's {@code k8s://namespace/service:port} against a mock API server whose EndpointSlices list
 * loopback gRPC servers (127.0.0.21, 127.0.0.22, one port): the channel calls the ready endpoints and follows
 * readiness changes.
 */
class GrpcKubernetesResolverEndToEndTest {

	private final MockKubernetes cluster = MockKubernetes.start();

	private final KubernetesClient client = new KubernetesClientBuilder()
		.withConfig(this.cluster.clientConfig("app-token"))
		.build();

	private final ResolvingStack stack = new ResolvingStack(
			(catalog) -> new KubernetesDiscoverySource(this.client, catalog, KubernetesProperties.defaults()));

	private ManagedChannel channel;

	@AfterEach
	void close() {
		this.stack.close();
		this.client.close();
		this.cluster.close();
	}

	@Test
	void callsTheReadyEndpointsAndFollowsReadiness() {
		GrpcBackend first = this.stack.backend("127.0.0.21", 0);
		GrpcBackend second = this.stack.backend("127.0.0.22", first.port());
		this.cluster.apply(slice("shop", "cart", "cart-x7k2p").port("grpc", first.port())
			.ready("127.0.0.21", "cart-a")
			.notReady("127.0.0.22", "cart-b")
			.build());
		this.channel = this.stack.roundRobinChannel("k8s://shop/cart:" + first.port());
		ServersAnswering.awaitExactly(this.channel, first);

		this.cluster.apply(slice("shop", "cart", "cart-x7k2p").port("grpc", first.port())
			.ready("127.0.0.21", "cart-a")
			.ready("127.0.0.22", "cart-b")
			.build());
		ServersAnswering.awaitExactly(this.channel, first, second);

		this.cluster.apply(slice("shop", "cart", "cart-x7k2p").port("grpc", first.port())
			.terminating("127.0.0.21", "cart-a")
			.ready("127.0.0.22", "cart-b")
			.build());
		ServersAnswering.awaitExactly(this.channel, second);
	}

}

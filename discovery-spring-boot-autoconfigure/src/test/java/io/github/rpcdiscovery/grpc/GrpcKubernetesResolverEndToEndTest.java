package io.github.rpcdiscovery.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.github.rpcdiscovery.kubernetes.KubernetesDiscoverySource;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
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

	private final ServiceCatalog catalog = new ServiceCatalog();

	private final KubernetesDiscoverySource source = new KubernetesDiscoverySource(this.client, this.catalog,
			KubernetesProperties.defaults());

	private final ServiceDiscovery discovery = new ServiceDiscovery(this.catalog,
			new DiscoveryPlan(List.of(), null, null), List.of(this.source), Duration.ofSeconds(10));

	private final GrpcNameResolvers resolvers = GrpcNameResolvers.registerDefault(this.discovery);

	private final List<GrpcBackend> backends = new ArrayList<>();

	private ManagedChannel channel;

	@AfterEach
	void close() {
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
		this.resolvers.close();
		this.discovery.close();
		this.client.close();
		this.cluster.close();
		this.backends.forEach(GrpcBackend::close);
	}

	@Test
	void callsTheReadyEndpointsAndFollowsReadiness() {
		GrpcBackend first = GrpcBackend.start("127.0.0.21");
		this.backends.add(first);
		GrpcBackend second = GrpcBackend.start("127.0.0.22", first.port());
		this.backends.add(second);
		this.cluster.apply(slice("shop", "cart", "cart-x7k2p").port("grpc", first.port())
			.ready("127.0.0.21", "cart-a")
			.notReady("127.0.0.22", "cart-b")
			.build());
		this.channel = Grpc.newChannelBuilder("k8s://shop/cart:" + first.port(), InsecureChannelCredentials.create())
			.defaultLoadBalancingPolicy("round_robin")
			.build();
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

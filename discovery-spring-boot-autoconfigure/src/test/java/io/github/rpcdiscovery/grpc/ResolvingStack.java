package io.github.rpcdiscovery.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.github.rpcdiscovery.core.DiscoverySource;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

/**
 * A client's discovery with one registry source and no plan (targets name their registry), the gRPC resolvers over
 * it, and the servers and channels a test makes; closes them all, channels first.
 */
final class ResolvingStack implements AutoCloseable {

	final ServiceCatalog catalog = new ServiceCatalog();

	private final ServiceDiscovery discovery;

	private final GrpcNameResolvers resolvers;

	private final List<GrpcBackend> backends = new ArrayList<>();

	private final List<ManagedChannel> channels = new ArrayList<>();

	ResolvingStack(Function<ServiceCatalog, DiscoverySource> source) {
		this.discovery = new ServiceDiscovery(this.catalog, new DiscoveryPlan(List.of(), null, null),
				List.of(source.apply(this.catalog)), Duration.ofSeconds(10));
		this.resolvers = GrpcNameResolvers.registerDefault(this.discovery);
	}

	/** A server on this loopback host and port (0: any). */
	GrpcBackend backend(String host, int port) {
		GrpcBackend backend = GrpcBackend.start(host, port);
		this.backends.add(backend);
		return backend;
	}

	/** A round-robin channel on the target: every listed server is called within a few calls. */
	ManagedChannel roundRobinChannel(String target) {
		ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
			.defaultLoadBalancingPolicy("round_robin")
			.build();
		this.channels.add(channel);
		return channel;
	}

	@Override
	public void close() {
		this.channels.forEach(ManagedChannel::shutdownNow);
		this.resolvers.close();
		this.discovery.close();
		this.backends.forEach(GrpcBackend::close);
	}

}

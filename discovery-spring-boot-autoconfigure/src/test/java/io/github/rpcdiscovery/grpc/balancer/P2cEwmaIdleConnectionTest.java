package io.github.rpcdiscovery.grpc.balancer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.grpc.ManualDiscovery;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Netty server on 127.0.0.1 that closes idle connections, as go-zero servers do after 5 minutes: a
 * {@code p2c_ewma} channel that makes no call does not reconnect, and the next call does.
 */
class P2cEwmaIdleConnectionTest {

	private static final String SERVICE = "orders";

	private final ManualDiscovery registry = new ManualDiscovery(SERVICE);

	private final ServiceDiscovery discovery = this.registry.discovery(Duration.ofSeconds(5));

	private final GrpcNameResolvers resolvers = GrpcNameResolvers.registerDefault(this.discovery);

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger closed = new AtomicInteger();

	private Server server;

	private ManagedChannel channel;

	@AfterEach
	void close() throws InterruptedException {
		if (this.channel != null) {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		this.resolvers.close();
	}

	@Test
	void aConnectionClosedForIdlenessIsReopenedByTheNextCallNotBefore() throws IOException {
		this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.maxConnectionIdle(300, TimeUnit.MILLISECONDS)
			.addTransportFilter(new ServerTransportFilter() {

				@Override
				public Attributes transportReady(Attributes attributes) {
					P2cEwmaIdleConnectionTest.this.connections.incrementAndGet();
					return attributes;
				}

				@Override
				public void transportTerminated(Attributes attributes) {
					P2cEwmaIdleConnectionTest.this.closed.incrementAndGet();
				}

			})
			.addService(new SimpleServiceGrpc.SimpleServiceImplBase() {

				@Override
				public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
					response.onNext(SimpleResponse.newBuilder().setResponseMessage("ok").build());
					response.onCompleted();
				}

			})
			.build()
			.start();
		this.registry.register("127.0.0.1:" + this.server.getPort());
		this.channel = Grpc.newChannelBuilder("discovery:///" + SERVICE, InsecureChannelCredentials.create())
			.defaultLoadBalancingPolicy("p2c_ewma")
			.build();
		SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(5, TimeUnit.SECONDS);
		assertThat(stub.unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage()).isEqualTo("ok");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.closed.get() == 1);
		// many times the server's idle timeout: an eager reconnect would have opened (and lost) several connections
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> this.connections.get() == 1);
		assertThat(SimpleServiceGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.unaryRpc(SimpleRequest.getDefaultInstance())
			.getResponseMessage()).isEqualTo("ok");
		assertThat(this.connections.get()).isEqualTo(2);
	}

}

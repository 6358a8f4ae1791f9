package io.github.rpcdiscovery.grpc.balancer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.grpc.ManualDiscovery;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.github.rpcdiscovery.test.net.TcpProxy;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * A {@code p2c_ewma} channel against real Netty servers on 127.0.0.1: how it connects when the server closes idle
 * connections or cannot be reached.
 */
class P2cEwmaConnectionsTest {

	private static final String SERVICE = "orders";

	private final ManualDiscovery registry = new ManualDiscovery(SERVICE);

	private final ServiceDiscovery discovery = this.registry.discovery(Duration.ofSeconds(5));

	private final GrpcNameResolvers resolvers = GrpcNameResolvers.registerDefault(this.discovery);

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger closed = new AtomicInteger();

	private Server server;

	private GrpcBackend backend;

	private TcpProxy proxy;

	private ManagedChannel channel;

	@AfterEach
	void close() throws InterruptedException {
		if (this.channel != null) {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.backend != null) {
			this.backend.close();
		}
		this.resolvers.close();
	}

	@Test
	void whileNothingConnectsCallsFailFastEvenWhenAReconnectHangs() {
		this.backend = GrpcBackend.start("127.0.0.1");
		this.proxy = TcpProxy.start("127.0.0.1", this.backend.port());
		this.proxy.refuse();
		this.registry.register(this.proxy.address());
		this.channel = Grpc.newChannelBuilder("discovery:///" + SERVICE, InsecureChannelCredentials.create())
			.defaultLoadBalancingPolicy("p2c_ewma")
			.build();
		assertThat(callStatus()).isEqualTo(Status.Code.UNAVAILABLE);
		// the next connection attempt (after grpc-java's back-off of about a second) is accepted and never answered
		this.proxy.blackhole();
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(6))
			.until(() -> callStatus() == Status.Code.UNAVAILABLE);
		this.proxy.heal();
		await().atMost(Duration.ofSeconds(10)).until(() -> callStatus() == Status.Code.OK);
	}

	/** A call that may wait one second at most. */
	private Status.Code callStatus() {
		try {
			SimpleServiceGrpc.newBlockingStub(this.channel)
				.withDeadlineAfter(1, TimeUnit.SECONDS)
				.unaryRpc(SimpleRequest.getDefaultInstance());
			return Status.Code.OK;
		}
		catch (StatusRuntimeException ex) {
			return ex.getStatus().getCode();
		}
	}

	@Test
	void aConnectionClosedForIdlenessIsReopenedByTheNextCallNotBefore() throws IOException {
		this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.maxConnectionIdle(300, TimeUnit.MILLISECONDS)
			.addTransportFilter(new ServerTransportFilter() {

				@Override
				public Attributes transportReady(Attributes attributes) {
					P2cEwmaConnectionsTest.this.connections.incrementAndGet();
					return attributes;
				}

				@Override
				public void transportTerminated(Attributes attributes) {
					P2cEwmaConnectionsTest.this.closed.incrementAndGet();
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

package io.github.rpcdiscovery.test.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;

/**
 * A Netty gRPC server on a loopback address and a free port serving grpc-testing-proto's {@code SimpleService}:
 * {@code UnaryRpc} answers with the server's own {@code host:port} and counts the calls. Faults on demand: answer late
 * ({@link #delay}, without holding a thread), answer with an error status ({@link #failWith}). The last call's
 * {@code app}/{@code token} metadata is kept ({@link #lastMetadata}).
 */
public final class GrpcBackend implements AutoCloseable {

	private static final Metadata.Key<String> APP = Metadata.Key.of("app", Metadata.ASCII_STRING_MARSHALLER);

	private final Server server;

	private final String address;

	private final AtomicInteger calls = new AtomicInteger();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "grpc-backend-timer");
		thread.setDaemon(true);
		return thread;
	});

	private volatile Duration delay = Duration.ZERO;

	private volatile Status failure;

	private volatile Metadata lastMetadata = new Metadata();

	private GrpcBackend(String host, int port) {
		ServerInterceptor metadataKeeper = new ServerInterceptor() {

			@Override
			public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
					ServerCallHandler<Q, R> next) {
				GrpcBackend.this.lastMetadata = headers;
				return next.startCall(call, headers);
			}

		};
		try {
			this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
				.directExecutor()
				.addService(ServerInterceptors.intercept(new Service(), metadataKeeper))
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.address = host + ":" + ((InetSocketAddress) this.server.getListenSockets().get(0)).getPort();
	}

	/** Starts a backend on the given loopback host (127.0.0.x) and a free port. */
	public static GrpcBackend start(String host) {
		return new GrpcBackend(host, 0);
	}

	/** Starts a backend on the given loopback host and port (Kubernetes endpoints share one port). */
	public static GrpcBackend start(String host, int port) {
		return new GrpcBackend(host, port);
	}

	/** {@code host:port}. */
	public String address() {
		return this.address;
	}

	public int port() {
		return Integer.parseInt(this.address.substring(this.address.lastIndexOf(':') + 1));
	}

	public int calls() {
		return this.calls.get();
	}

	public void resetCalls() {
		this.calls.set(0);
	}

	/** Answers every call this late. */
	public GrpcBackend delay(Duration delay) {
		this.delay = delay;
		return this;
	}

	/** Fails every call with this status; {@code null} to answer normally again. */
	public GrpcBackend failWith(Status status) {
		this.failure = status;
		return this;
	}

	public Metadata lastMetadata() {
		return this.lastMetadata;
	}

	/** The {@code app} metadata of the last call, or {@code null}. */
	public String lastApp() {
		return this.lastMetadata.get(APP);
	}

	/** Stops at once: calls in flight fail. */
	@Override
	public void close() {
		this.server.shutdownNow();
		this.timer.shutdownNow();
		try {
			this.server.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private final class Service extends SimpleServiceGrpc.SimpleServiceImplBase {

		@Override
		public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
			GrpcBackend.this.calls.incrementAndGet();
			Runnable answer = () -> {
				Status status = GrpcBackend.this.failure;
				if (status != null) {
					responseObserver.onError(status.asRuntimeException());
					return;
				}
				responseObserver
					.onNext(SimpleResponse.newBuilder().setResponseMessage(GrpcBackend.this.address).build());
				responseObserver.onCompleted();
			};
			long nanos = GrpcBackend.this.delay.toNanos();
			if (nanos > 0) {
				GrpcBackend.this.timer.schedule(answer, nanos, TimeUnit.NANOSECONDS);
			}
			else {
				answer.run();
			}
		}

	}

}

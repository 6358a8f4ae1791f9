package io.github.rpcdiscovery.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real channels, real Netty servers on 127.0.0.1, the catalog written as a registry source writes it: the channel
 * follows the instance list while calls run, and {@code p2c_ewma} moves traffic off slow and failing servers.
 */
class GrpcLoopbackEndToEndTest {

	private static final String SERVICE = "orders";

	private final ManualDiscovery registry = new ManualDiscovery(SERVICE);

	private final ServiceDiscovery discovery = this.registry.discovery(Duration.ofSeconds(5));

	private final GrpcNameResolvers resolvers = GrpcNameResolvers.registerDefault(this.discovery);

	private final List<GrpcBackend> backends = new ArrayList<>();

	private final ExecutorService callers = Executors.newFixedThreadPool(4);

	private ManagedChannel channel;

	@AfterEach
	void close() throws InterruptedException {
		this.callers.shutdownNow();
		this.callers.awaitTermination(10, TimeUnit.SECONDS);
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
		this.backends.forEach(GrpcBackend::close);
		this.resolvers.close();
	}

	@Test
	void followsServersAddedAndRemovedWhileCallsRun() {
		GrpcBackend first = backend();
		GrpcBackend second = backend();
		GrpcBackend third = backend();
		register(first, second);
		this.channel = channel("p2c_ewma");
		Load load = new Load(4, 20_000);
		await().atMost(Duration.ofSeconds(10)).until(() -> first.calls() > 0 && second.calls() > 0);
		register(first, second, third);
		await().atMost(Duration.ofSeconds(5)).until(() -> third.calls() > 0);
		register(second, third);
		// once the channel has dropped the first server's subchannel, no call reaches it any more
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			int before = first.calls();
			int total = load.completed.get();
			await().atMost(Duration.ofSeconds(5)).until(() -> load.completed.get() >= total + 200);
			return first.calls() == before;
		});
		int completedBeforeStop = load.stop();
		assertThat(completedBeforeStop).isGreaterThanOrEqualTo(200);
		assertThat(load.failures).as("removing a live server from the list fails no call").isEmpty();
	}

	@Test
	void slowAndFailingServersLoseTrafficUnderP2cEwma() {
		GrpcBackend fast = backend();
		GrpcBackend slow = backend().delay(Duration.ofMillis(30));
		GrpcBackend failing = backend().failWith(Status.UNAVAILABLE.withDescription("overloaded"));
		register(fast, slow, failing);
		this.channel = channel("p2c_ewma");
		Load load = new Load(4, 1500);
		load.awaitDone();
		int total = fast.calls() + slow.calls() + failing.calls();
		assertThat(total).isEqualTo(1500);
		String shares = "fast=" + fast.calls() + " slow=" + slow.calls() + " failing=" + failing.calls();
		// round robin would give each a third
		assertThat(fast.calls()).as(shares).isGreaterThan(total * 7 / 10);
		assertThat(slow.calls()).as(shares).isLessThan(total / 5);
		assertThat(failing.calls()).as(shares).isLessThan(total / 10);
		assertThat(load.failures).hasSize(failing.calls());
	}

	@Test
	void anExplicitServiceConfigWinsOverTheDefaultPolicy() {
		GrpcBackend fast = backend();
		GrpcBackend slow = backend().delay(Duration.ofMillis(20));
		register(fast, slow);
		this.channel = Grpc.newChannelBuilder("discovery:///" + SERVICE, InsecureChannelCredentials.create())
			.defaultLoadBalancingPolicy("p2c_ewma")
			.defaultServiceConfig(Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))))
			.build();
		new Load(1, 200).awaitDone();
		// round robin alternates; p2c_ewma would send the slow server a small share
		assertThat(slow.calls()).as("fast=" + fast.calls() + " slow=" + slow.calls()).isBetween(90, 110);
	}

	private GrpcBackend backend() {
		GrpcBackend backend = GrpcBackend.start("127.0.0.1");
		this.backends.add(backend);
		return backend;
	}

	private void register(GrpcBackend... backends) {
		this.registry.register(Arrays.stream(backends).map(GrpcBackend::address).toArray(String[]::new));
	}

	private ManagedChannel channel(String policy) {
		return Grpc.newChannelBuilder("discovery:///" + SERVICE, InsecureChannelCredentials.create())
			.defaultLoadBalancingPolicy(policy)
			.build();
	}

	/** Blocking calls from a few threads, bounded in count; remembers every failure. */
	private final class Load {

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger completed = new AtomicInteger();

		final Map<Integer, Status> failures = new ConcurrentHashMap<>();

		private final AtomicBoolean stopped = new AtomicBoolean();

		private final List<java.util.concurrent.Future<?>> workers = new ArrayList<>();

		Load(int threads, int maxCalls) {
			SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc
				.newBlockingStub(GrpcLoopbackEndToEndTest.this.channel);
			for (int t = 0; t < threads; t++) {
				this.workers.add(GrpcLoopbackEndToEndTest.this.callers.submit(() -> {
					int call;
					while (!this.stopped.get() && (call = this.started.incrementAndGet()) <= maxCalls) {
						try {
							stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
						}
						catch (StatusRuntimeException ex) {
							this.failures.put(call, ex.getStatus());
						}
						this.completed.incrementAndGet();
					}
				}));
			}
		}

		void awaitDone() {
			await().atMost(Duration.ofSeconds(60)).until(() -> this.workers.stream().allMatch((w) -> w.isDone()));
		}

		int stop() {
			this.stopped.set(true);
			awaitDone();
			return this.completed.get();
		}

	}

}

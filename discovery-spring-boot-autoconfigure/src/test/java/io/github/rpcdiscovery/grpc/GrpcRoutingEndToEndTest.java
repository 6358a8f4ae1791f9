package io.github.rpcdiscovery.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.RoutingSettings;
import io.github.rpcdiscovery.balancer.SubsetSettings;
import io.github.rpcdiscovery.balancer.ZoneSettings;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.grpc.balancer.P2cEwmaLoadBalancerProvider;
import io.github.rpcdiscovery.grpc.balancer.RouteHint;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code p2c_ewma} routes as the HTTP balancer does (the same {@code balancer} package): real channels, real servers
 * on 127.0.0.1-4 with zone and version in their instances' metadata, the caller in zone a. A call option or the
 * {@code x-sc-lb-hint} metadata key selects a version; calls without a hint stay in zone a and leave it when it slows
 * down; a canary gets its share; a hint that matches nothing fails with the fallback {@code fail}.
 */
class GrpcRoutingEndToEndTest {

	private static final String SERVICE = "orders";

	private final ManualDiscovery registry = new ManualDiscovery(SERVICE);

	private final ServiceDiscovery discovery = this.registry.discovery(Duration.ofSeconds(5));

	private final GrpcNameResolvers resolvers = GrpcNameResolvers.registerDefault(this.discovery);

	private final List<GrpcBackend> backends = new ArrayList<>();

	private P2cEwmaLoadBalancerProvider provider;

	private ManagedChannel channel;

	@AfterEach
	void close() {
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
		if (this.provider != null) {
			LoadBalancerRegistry.getDefaultRegistry().deregister(this.provider);
		}
		this.backends.forEach(GrpcBackend::close);
		this.resolvers.close();
	}

	/** a1, a2 (zone a, v1), b1 (zone b, v1), canary (zone a, v2). */
	private List<GrpcBackend> start(SubsetSettings subset) {
		GrpcBackend a1 = GrpcBackend.start("127.0.0.1");
		GrpcBackend a2 = GrpcBackend.start("127.0.0.2");
		GrpcBackend b1 = GrpcBackend.start("127.0.0.3");
		GrpcBackend canary = GrpcBackend.start("127.0.0.4");
		this.backends.addAll(List.of(a1, a2, b1, canary));
		Map<String, Map<String, String>> instances = new LinkedHashMap<>();
		instances.put(a1.address(), Map.of("zone", "a", "version", "v1"));
		instances.put(a2.address(), Map.of("zone", "a", "version", "v1"));
		instances.put(b1.address(), Map.of("zone", "b", "version", "v1"));
		instances.put(canary.address(), Map.of("zone", "a", "version", "v2"));
		this.registry.register(instances);
		ZoneSettings zone = new ZoneSettings(true, "a", 2.0, Duration.ofMillis(10), 0.5, 1.5, Duration.ofSeconds(1));
		// above the auto-configuration's 6: this test's routing serves the channel
		this.provider = new P2cEwmaLoadBalancerProvider(BalancerSettings.defaults(),
				RoutingSettings.Source.of(new RoutingSettings(zone, subset)), 7);
		LoadBalancerRegistry.getDefaultRegistry().register(this.provider);
		this.channel = Grpc.newChannelBuilder("discovery:///" + SERVICE, InsecureChannelCredentials.create())
			.defaultLoadBalancingPolicy("p2c_ewma")
			.build();
		return List.of(a1, a2, b1, canary);
	}

	private SimpleServiceGrpc.SimpleServiceBlockingStub stub() {
		return SimpleServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(5, TimeUnit.SECONDS);
	}

	private Map<GrpcBackend, Integer> calls(int count, SimpleServiceGrpc.SimpleServiceBlockingStub stub) {
		Map<GrpcBackend, Integer> before = new HashMap<>();
		this.backends.forEach((backend) -> before.put(backend, backend.calls()));
		for (int i = 0; i < count; i++) {
			stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
		}
		Map<GrpcBackend, Integer> made = new HashMap<>();
		this.backends.forEach((backend) -> made.put(backend, backend.calls() - before.get(backend)));
		return made;
	}

	@Test
	void aCallOptionOrTheHintMetadataKeySelectsTheInstancesOfThatVersion() {
		List<GrpcBackend> started = start(SubsetSettings.defaults());
		GrpcBackend canary = started.get(3);
		// a hint selects among the connected instances: wait until the canary's subchannel is ready
		await().atMost(Duration.ofSeconds(10))
			.until(() -> calls(1, stub().withOption(RouteHint.CALL_OPTION, "v2")).get(canary) == 1);
		assertThat(calls(200, stub().withOption(RouteHint.CALL_OPTION, "v2")).get(canary)).isEqualTo(200);
		Metadata headers = new Metadata();
		headers.put(RouteHint.HEADER, "v2");
		assertThat(calls(200, stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)))
			.get(canary)).isEqualTo(200);
		assertThat(calls(200, stub().withOption(RouteHint.CALL_OPTION, "v9")).values().stream().filter((n) -> n > 0))
			.as("fallback all").hasSizeGreaterThanOrEqualTo(2);
	}

	@Test
	void aHintThatMatchesNothingFailsWithTheFallbackFail() {
		start(new SubsetSettings("version", SubsetSettings.Fallback.FAIL, null));
		calls(1, stub());
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> stub().withOption(RouteHint.CALL_OPTION, "v9").unaryRpc(SimpleRequest.getDefaultInstance()))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.withMessageContaining("v9");
	}

	@Test
	void callsStayInTheZoneGiveTheCanaryItsShareAndSpillWhenTheZoneSlowsDown() {
		List<GrpcBackend> started = start(new SubsetSettings("version", SubsetSettings.Fallback.ALL,
				new SubsetSettings.Canary("v2", 5)));
		GrpcBackend b1 = started.get(2);
		int count = 2_000;
		long start = System.nanoTime();
		Map<GrpcBackend, Integer> made = calls(count, stub());
		long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
		assertThat(made.get(started.get(3))).as("canary").isBetween(count * 30 / 1000, count * 70 / 1000);
		assertThat(made.get(b1)).as("zone b over %d s", seconds).isLessThanOrEqualTo((int) seconds + 1 + count / 100);
		await().atMost(Duration.ofSeconds(20)).until(() -> calls(1, stub()) != null && b1.calls() > 0);
		started.get(0).delay(Duration.ofMillis(100));
		started.get(1).delay(Duration.ofMillis(100));
		await().atMost(Duration.ofSeconds(30)).until(() -> calls(20, stub()).get(b1) >= 17);
	}

}

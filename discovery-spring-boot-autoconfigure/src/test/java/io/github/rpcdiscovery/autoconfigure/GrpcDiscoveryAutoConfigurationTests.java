package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.grpc.resolver.CatalogNameResolverProvider;
import io.github.rpcdiscovery.grpc.resolver.GrpcNameResolvers;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.NameResolverRegistry;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;
import org.springframework.grpc.client.GrpcChannelFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/** The gRPC auto-configuration matrix, and Spring gRPC channels that resolve through the catalog. */
class GrpcDiscoveryAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RpcDiscoveryAutoConfiguration.class,
				GrpcDiscoveryAutoConfiguration.class, GrpcClientAutoConfiguration.class, SslAutoConfiguration.class));

	private GrpcBackend backend;

	@AfterEach
	void stopBackend() {
		if (this.backend != null) {
			this.backend.close();
		}
	}

	@Test
	void registersTheResolversWhileTheContextRunsAndRemovesThemOnClose() {
		this.runner.withPropertyValues("spring.grpc.client.channels.users.address=discovery:///user.rpc").run((context) -> {
			assertThat(context).hasSingleBean(GrpcNameResolvers.class);
			for (String scheme : new String[] { "discovery", "etcd", "discov", "direct", "k8s" }) {
				assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme(scheme)).as(scheme)
					.isInstanceOf(CatalogNameResolverProvider.class);
			}
		});
		assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("discovery")).isNull();
	}

	@Test
	void nothingWithoutGrpcJava() {
		this.runner.withClassLoader(new FilteredClassLoader("io.grpc."))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcNameResolvers.class));
	}

	@Test
	void nothingWithGrpcJavaAloneAsJetcdBringsIt() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(RpcDiscoveryAutoConfiguration.class, GrpcDiscoveryAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.grpc.", "org.springframework.boot.grpc."))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(GrpcNameResolvers.class)
				.doesNotHaveBean(GrpcChannelBuilderCustomizer.class));
	}

	@Test
	void nothingWhenDiscoveryIsOff() {
		this.runner.withPropertyValues("rpc.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GrpcNameResolvers.class));
	}

	@Test
	void aSpringGrpcChannelCallsTheServerItsServiceIdResolvesToWithGoZeroCredentials() {
		this.backend = GrpcBackend.start("127.0.0.1");
		this.runner
			.withPropertyValues("rpc.clients[0].name=orders", "rpc.clients[0].endpoints=" + this.backend.address(),
					"spring.grpc.client.channels.orders.address=discovery:///orders",
					"rpc.grpc.channels.orders.app=shop", "rpc.grpc.channels.orders.token=s3cret")
			.run((context) -> {
				ManagedChannel channel = context.getBean(GrpcChannelFactory.class).createChannel("orders");
				try {
					String answer = SimpleServiceGrpc.newBlockingStub(channel)
						.unaryRpc(SimpleRequest.getDefaultInstance())
						.getResponseMessage();
					assertThat(answer).isEqualTo(this.backend.address());
					assertThat(this.backend.lastApp()).isEqualTo("shop");
					assertThat(this.backend.lastMetadata()
						.get(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("s3cret");
				}
				finally {
					channel.shutdownNow();
				}
			});
	}

	@Test
	void aChannelResolvesThroughItsOwnApplicationWhenAnotherRegisteredTheResolversFirst() {
		this.backend = GrpcBackend.start("127.0.0.1");
		try (GrpcBackend other = GrpcBackend.start("127.0.0.2")) {
			this.runner.withPropertyValues("rpc.clients[0].name=orders", "rpc.clients[0].endpoints=" + other.address())
				.run((first) -> this.runner
					.withPropertyValues("rpc.clients[0].name=orders",
							"rpc.clients[0].endpoints=" + this.backend.address(),
							"spring.grpc.client.channels.orders.address=discovery:///orders")
					.run((second) -> {
						ManagedChannel channel = second.getBean(GrpcChannelFactory.class).createChannel("orders");
						try {
							assertThat(SimpleServiceGrpc.newBlockingStub(channel)
								.unaryRpc(SimpleRequest.getDefaultInstance())
								.getResponseMessage()).isEqualTo(this.backend.address());
						}
						finally {
							channel.shutdownNow();
						}
					}));
		}
	}

	@Test
	void goZerosLegacyMultiHostFormFailsWhenTheChannelIsCreatedWithTheFix() {
		this.runner
			.withPropertyValues("spring.grpc.client.channels.users.address=etcd://127.0.0.1:2379,127.0.0.2:2379/user.rpc")
			.run((context) -> assertThatExceptionOfType(InvalidRpcPropertyException.class)
				.isThrownBy(() -> context.getBean(GrpcChannelFactory.class).createChannel("users"))
				.satisfies((ex) -> {
					assertThat(ex.getProperty()).isEqualTo("spring.grpc.client.channels.users.address");
					assertThat(ex.getProblem()).contains("grpc-java 1.83+ rejects")
						.contains("etcd:///127.0.0.1:2379,127.0.0.2:2379?key=user.rpc");
				}));
	}

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void p2cEwmaIsTheDefaultPolicyOfOurTargetsUnlessTheChannelNamesOne() {
		this.runner
			.withPropertyValues("rpc.clients[0].name=orders", "rpc.clients[0].endpoints=127.0.0.1:9001",
					"spring.grpc.client.channels.orders.address=discovery:///orders",
					"spring.grpc.client.channels.pinned.address=discovery:///orders",
					"spring.grpc.client.channels.pinned.default-load-balancing-policy=pick_first",
					"spring.grpc.client.channels.plain.address=static://127.0.0.1:9001")
			.run((context) -> {
				GrpcChannelBuilderCustomizer customizer = context.getBean("rpcGrpcDiscoveryChannelCustomizer",
						GrpcChannelBuilderCustomizer.class);
				ManagedChannelBuilder orders = mock(ManagedChannelBuilder.class, RETURNS_SELF);
				customizer.customize("orders", orders);
				verify(orders).defaultLoadBalancingPolicy("p2c_ewma");
				ManagedChannelBuilder pinned = mock(ManagedChannelBuilder.class, RETURNS_SELF);
				customizer.customize("pinned", pinned);
				verify(pinned, never()).defaultLoadBalancingPolicy("p2c_ewma");
				ManagedChannelBuilder plain = mock(ManagedChannelBuilder.class, RETURNS_SELF);
				customizer.customize("plain", plain);
				verify(plain, never()).defaultLoadBalancingPolicy("p2c_ewma");
			});
	}

}

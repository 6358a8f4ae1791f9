package io.github.rpcdiscovery.grpc.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.shutdown.InstanceWithdrawnEvent;
import io.github.rpcdiscovery.status.RegistrationState;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A Spring gRPC server on a random loopback port (Spring gRPC 1.0's {@code spring.grpc.server.address} would override
 * the port: {@code host} and {@code port=0} it is) registers in a real etcd the way a go-zero zrpc server does, a
 * channel with go-zero's target finds and calls it, and closing the application revokes the key while the gRPC
 * server still serves.
 */
class GrpcServerRegistrationTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	@Test
	void registersTheActualGrpcPortAndRevokesItBeforeTheServerStops() {
		AtomicReference<Boolean> serverRunningAtWithdrawal = new AtomicReference<>();
		AtomicReference<GrpcServerStartedEvent> started = new AtomicReference<>();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GrpcServerApp.class)
			.web(WebApplicationType.NONE)
			.listeners((ApplicationListener<InstanceWithdrawnEvent>) (event) -> serverRunningAtWithdrawal
				.compareAndSet(null, event.getSource() instanceof GrpcServerRegistration && anyServerRunning(event)),
					(ApplicationListener<GrpcServerStartedEvent>) started::set)
			.run("--spring.grpc.server.port=0", "--spring.grpc.server.host=127.0.0.1",
					"--rpc.etcd.hosts=" + etcd.hostAndPort(), "--rpc.registration.enabled=false",
					"--rpc.grpc.registration.key=orders.rpc", "--rpc.shutdown.drain=200ms");
		try {
			GrpcServerRegistration registration = context.getBean(GrpcServerRegistration.class);
			int port = registration.registration().address().port();
			// the port the server really bound (port 0: a random one), not the configured one
			assertThat(port).isEqualTo(started.get().getPort()).isNotEqualTo(9090);
			// go-zero's layout: <key>/<lease id> -> host:port of the gRPC server
			List<String> entries = etcd.process().etcdctl().getPrefix("orders.rpc/");
			assertThat(entries).hasSize(2);
			assertThat(entries.get(0)).matches("orders\\.rpc/\\d+");
			assertThat(entries.get(1)).isEqualTo("127.0.0.1:" + port);
			// shown beside the HTTP registrations (rpc endpoint, registration health, meters)
			assertThat(registration.registrations()).singleElement().satisfies((status) -> {
				assertThat(status.serviceKey()).isEqualTo("orders.rpc");
				assertThat(status.address()).isEqualTo("127.0.0.1:" + port);
				assertThat(status.state()).isEqualTo(RegistrationState.UP);
			});
			assertThat(context.getBeansOfType(RegistrationStatusProvider.class)).containsValue(registration);

			ManagedChannel channel = context.getBean(GrpcChannelFactory.class)
				.createChannel("etcd:///" + etcd.hostAndPort() + "?key=orders.rpc");
			try {
				assertThat(SimpleServiceGrpc.newBlockingStub(channel)
					.unaryRpc(SimpleRequest.getDefaultInstance())
					.getResponseMessage()).isEqualTo("java-grpc");
			}
			finally {
				channel.shutdownNow();
			}
		}
		finally {
			context.close();
		}
		assertThat(etcd.process().etcdctl().keys("orders.rpc/")).isEmpty();
		assertThat(serverRunningAtWithdrawal.get()).as("the gRPC server still served when its key was revoked")
			.isTrue();
	}

	@Test
	void noRegistrationWithoutAKey() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GrpcServerApp.class)
			.web(WebApplicationType.NONE)
			.run("--spring.grpc.server.port=0", "--spring.grpc.server.host=127.0.0.1",
					"--rpc.etcd.hosts=" + etcd.hostAndPort(), "--rpc.registration.enabled=false")) {
			assertThat(context.getBeansOfType(GrpcServerRegistration.class)).isEmpty();
		}
	}

	@Test
	void anApplicationRegistersItsWebServerAndItsGrpcServerUnderTwoKeys() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GrpcServerApp.class)
			.web(WebApplicationType.SERVLET)
			.run("--server.port=0", "--server.address=127.0.0.1", "--spring.grpc.server.port=0",
					"--spring.grpc.server.host=127.0.0.1", "--spring.grpc.server.servlet.enabled=false",
					"--spring.cloud.loadbalancer.enabled=false", "--rpc.etcd.hosts=" + etcd.hostAndPort(),
					"--spring.application.name=billing", "--rpc.etcd.id=7", "--rpc.listen-on=127.0.0.1",
					"--rpc.grpc.registration.key=billing.rpc")) {
			int httpPort = ((WebServerApplicationContext) context).getWebServer().getPort();
			int grpcPort = context.getBean(GrpcServerRegistration.class).registration().address().port();
			// the web server under the application's key with its fixed id, the gRPC server under its own key with
			// a lease id: two keys, and a go-zero client with Etcd.Key billing.rpc finds only the gRPC server
			assertThat(etcd.process().etcdctl().getPrefix("billing/")).containsExactly("billing/7",
					"127.0.0.1:" + httpPort);
			List<String> grpc = etcd.process().etcdctl().getPrefix("billing.rpc/");
			assertThat(grpc).hasSize(2);
			assertThat(grpc.get(0)).matches("billing\\.rpc/\\d+").isNotEqualTo("billing.rpc/7");
			assertThat(grpc.get(1)).isEqualTo("127.0.0.1:" + grpcPort);
			ManagedChannel channel = context.getBean(GrpcChannelFactory.class)
				.createChannel("etcd:///" + etcd.hostAndPort() + "?key=billing.rpc");
			try {
				assertThat(SimpleServiceGrpc.newBlockingStub(channel)
					.unaryRpc(SimpleRequest.getDefaultInstance())
					.getResponseMessage()).isEqualTo("java-grpc");
			}
			finally {
				channel.shutdownNow();
			}
		}
		assertThat(etcd.process().etcdctl().keys("billing")).isEmpty();
	}

	@Test
	void aGrpcKeyEqualToTheWebServersKeyFailsTheStartup() {
		assertThatThrownBy(() -> new SpringApplicationBuilder(GrpcServerApp.class).web(WebApplicationType.SERVLET)
			.run("--server.port=0", "--server.address=127.0.0.1", "--spring.grpc.server.port=0",
					"--spring.grpc.server.host=127.0.0.1", "--spring.grpc.server.servlet.enabled=false",
					"--spring.cloud.loadbalancer.enabled=false", "--rpc.etcd.hosts=" + etcd.hostAndPort(),
					"--spring.application.name=shared.rpc", "--rpc.listen-on=127.0.0.1",
					"--rpc.grpc.registration.key=shared.rpc")
			.close()).hasRootCauseInstanceOf(InvalidRpcPropertyException.class)
			.rootCause()
			.satisfies((cause) -> assertThat(((InvalidRpcPropertyException) cause).getProperty())
				.isEqualTo("rpc.grpc.registration.key"));
		assertThat(etcd.process().etcdctl().keys("shared.rpc/")).isEmpty();
	}

	@Test
	void aGrpcOnlyApplicationNamedLikeItsGrpcKeyRegistersTheGrpcServer() {
		// no web server and no port in rpc.listen-on: the HTTP registration has nothing to register, no clash
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GrpcServerApp.class)
			.web(WebApplicationType.NONE)
			.run("--spring.grpc.server.port=0", "--spring.grpc.server.host=127.0.0.1",
					"--rpc.etcd.hosts=" + etcd.hostAndPort(), "--spring.application.name=solo.rpc",
					"--rpc.grpc.registration.key=solo.rpc")) {
			int grpcPort = context.getBean(GrpcServerRegistration.class).registration().address().port();
			List<String> entries = etcd.process().etcdctl().getPrefix("solo.rpc/");
			assertThat(entries).hasSize(2);
			assertThat(entries.get(1)).isEqualTo("127.0.0.1:" + grpcPort);
		}
	}

	private static boolean anyServerRunning(InstanceWithdrawnEvent event) {
		ConfigurableApplicationContext context = CONTEXT.get();
		return context != null
				&& context.getBeansOfType(GrpcServerLifecycle.class).values().stream().anyMatch(GrpcServerLifecycle::isRunning);
	}

	static final AtomicReference<ConfigurableApplicationContext> CONTEXT = new AtomicReference<>();

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GrpcServerApp {

		GrpcServerApp(ConfigurableApplicationContext context) {
			CONTEXT.set(context);
		}

		@Bean
		SimpleServiceGrpc.SimpleServiceImplBase simpleService() {
			return new SimpleServiceGrpc.SimpleServiceImplBase() {

				@Override
				public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
					responseObserver.onNext(SimpleResponse.newBuilder().setResponseMessage("java-grpc").build());
					responseObserver.onCompleted();
				}

			};
		}

	}

}

package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.grpc.server.GrpcServerRegistration;
import io.github.rpcdiscovery.shutdown.DrainBeforeServerShutdown;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the gRPC server registration exists. Nothing here connects to etcd or starts a server: registering happens
 * when the application is ready, which a context runner never is.
 */
class GrpcServerRegistrationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, ShutdownAutoConfiguration.class,
				GrpcServerRegistrationAutoConfiguration.class))
		.withPropertyValues("rpc.etcd.hosts=127.0.0.1:2379", "rpc.grpc.registration.key=hello.rpc");

	@Test
	void aKeyAndEtcdHostsBringTheRegistration() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(GrpcServerRegistration.class)
			// no Spring gRPC server in this context: only the web server's drain
			.hasSingleBean(DrainBeforeServerShutdown.class));
	}

	@Test
	void nothingWithoutAKey() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class,
					GrpcServerRegistrationAutoConfiguration.class))
			.withPropertyValues("rpc.etcd.hosts=127.0.0.1:2379")
			.run((context) -> assertThat(context).doesNotHaveBean(GrpcServerRegistration.class));
	}

	@Test
	void nothingWithoutEtcdHosts() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class,
					GrpcServerRegistrationAutoConfiguration.class))
			.withPropertyValues("rpc.grpc.registration.key=hello.rpc")
			.run((context) -> assertThat(context).doesNotHaveBean(GrpcServerRegistration.class));
	}

	@Test
	void nothingWhenSwitchedOff() {
		this.runner.withPropertyValues("rpc.grpc.registration.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GrpcServerRegistration.class));
		this.runner.withPropertyValues("spring.cloud.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GrpcServerRegistration.class));
	}

	@Test
	void nothingWithoutSpringGrpc() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.grpc."))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcServerRegistration.class));
	}

	@Test
	void hostOfListenOn() {
		assertThat(GrpcServerRegistrationAutoConfiguration.hostOf("127.0.0.2:8080")).isEqualTo("127.0.0.2");
		assertThat(GrpcServerRegistrationAutoConfiguration.hostOf("127.0.0.3")).isEqualTo("127.0.0.3");
		assertThat(GrpcServerRegistrationAutoConfiguration.hostOf("[::1]:8080")).isEqualTo("::1");
		assertThat(GrpcServerRegistrationAutoConfiguration.hostOf(":8080")).isNull();
		assertThat(GrpcServerRegistrationAutoConfiguration.hostOf(null)).isNull();
	}

}

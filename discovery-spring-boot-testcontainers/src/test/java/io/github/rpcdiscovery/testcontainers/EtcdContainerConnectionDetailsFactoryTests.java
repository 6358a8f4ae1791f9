package io.github.rpcdiscovery.testcontainers;

import java.nio.file.Path;
import java.util.Map;

import io.github.rpcdiscovery.autoconfigure.EtcdConnectionDetails;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSources;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceConnection} containers become {@link EtcdConnectionDetails} through Spring Boot's own factory lookup
 * ({@code META-INF/spring.factories}). No Docker engine: the containers here answer as a running container published
 * on 127.0.0.1:32779 would, and are never started.
 */
class EtcdContainerConnectionDetailsFactoryTests {

	@ServiceConnection
	static final Object plainField = null;

	@ServiceConnection(name = "etcd")
	static final Object namedEtcd = null;

	@ServiceConnection(name = "redis")
	static final Object namedRedis = null;

	@Test
	void anEtcdContainerIsItsPublishedClientPortWithoutAccountOrTls() throws Exception {
		EtcdConnectionDetails details = detailsOf(source(new PublishedEtcdContainer(32779), "plainField"));
		assertThat(details.getHosts()).containsExactly("127.0.0.1:32779");
		assertThat(details.getUser()).isNull();
		assertThat(details.getPassword()).isNull();
		assertThat(details.getTls()).isNull();
	}

	@Test
	void anEtcdContainerCarriesItsAccountAndTls() throws Exception {
		EtcdContainer container = new PublishedEtcdContainer(32779).withAuthentication("app", "s3cret")
			.withTls(Path.of("/certs/server.pem"), Path.of("/certs/server-key.pem"), Path.of("/certs/ca.pem"))
			.withClientCertificate(Path.of("/certs/client.pem"), Path.of("/certs/client-key.pem"));
		EtcdConnectionDetails details = detailsOf(source(container, "plainField"));
		assertThat(details.getUser()).isEqualTo("app");
		assertThat(details.getPassword()).isEqualTo("s3cret");
		assertThat(details.getTls()).isEqualTo(new EtcdConnectionDetails.Tls("/certs/ca.pem", "/certs/client.pem",
				"/certs/client-key.pem", false));
	}

	@Test
	void aGenericContainerOfTheEtcdImageOrNamedEtcdCountsAndAnotherDoesNot() throws Exception {
		assertThat(detailsOf(genericSource("quay.io/coreos/etcd:v3.5.21", "plainField")).getHosts())
			.containsExactly("127.0.0.1:32779");
		assertThat(detailsOf(genericSource("gcr.io/etcd-development/etcd:v3.5.21", "plainField")).getHosts())
			.containsExactly("127.0.0.1:32779");
		assertThat(detailsOf(genericSource("registry.example/mirror/kv:1", "namedEtcd")).getHosts())
			.containsExactly("127.0.0.1:32779");
		assertThat(factories().getConnectionDetails(genericSource("redis:7", "plainField"), false))
			.doesNotContainKey(EtcdConnectionDetails.class);
		assertThat(factories().getConnectionDetails(source(new PublishedEtcdContainer(32779), "namedRedis"), false))
			.as("an EtcdContainer is etcd whatever its name").containsKey(EtcdConnectionDetails.class);
	}

	private static EtcdConnectionDetails detailsOf(ContainerConnectionSource<?> source) throws Exception {
		Map<Class<?>, ConnectionDetails> found = factories().getConnectionDetails(source, false);
		assertThat(found).containsKey(EtcdConnectionDetails.class);
		EtcdConnectionDetails details = (EtcdConnectionDetails) found.get(EtcdConnectionDetails.class);
		// Spring Boot initializes the bean before use: that is when it takes the container
		((InitializingBean) details).afterPropertiesSet();
		return details;
	}

	private static ContainerConnectionSource<EtcdContainer> source(EtcdContainer container, String field)
			throws Exception {
		return ContainerConnectionSources.of(EtcdContainer.class, container.getDockerImageName(), annotation(field),
				container);
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static ContainerConnectionSource<?> genericSource(String image, String field) throws Exception {
		GenericContainer container = new PublishedGenericContainer(image);
		return ContainerConnectionSources.of((Class) GenericContainer.class, image, annotation(field), container);
	}

	private static ServiceConnection annotation(String field) throws Exception {
		return EtcdContainerConnectionDetailsFactoryTests.class.getDeclaredField(field)
			.getAnnotation(ServiceConnection.class);
	}

	private static ConnectionDetailsFactories factories() {
		return new ConnectionDetailsFactories(EtcdContainerConnectionDetailsFactoryTests.class.getClassLoader());
	}

	/** As {@link PublishedEtcdContainer}, for a plain container of some image. */
	static final class PublishedGenericContainer extends GenericContainer<PublishedGenericContainer> {

		PublishedGenericContainer(String image) {
			super(image);
		}

		@Override
		public void start() {
			throw new AssertionError("this test has no Docker engine: nothing may start a container");
		}

		@Override
		public boolean isRunning() {
			return true;
		}

		@Override
		public String getHost() {
			return "127.0.0.1";
		}

		@Override
		public Integer getMappedPort(int originalPort) {
			assertThat(originalPort).isEqualTo(EtcdContainer.CLIENT_PORT);
			return 32779;
		}

	}
}

package io.github.rpcdiscovery.docker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.autoconfigure.EtcdConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.DockerComposeFile;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSources;
import org.springframework.boot.test.context.FilteredClassLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An etcd service of {@code compose.yaml} becomes the application's {@link EtcdConnectionDetails}, through Spring
 * Boot's own factory lookup ({@code META-INF/spring.factories}). The running service is described here, as
 * {@code docker compose ps} would report it: no Docker engine is needed.
 */
class EtcdDockerComposeConnectionDetailsFactoryTests {

	@Test
	void theOfficialImageIsItsPublishedClientPort() {
		EtcdConnectionDetails details = detailsOf(new Service("quay.io/coreos/etcd:v3.5.21", Map.of(), Map.of()));
		assertThat(details.getHosts()).containsExactly("127.0.0.1:32779");
		assertThat(details.getUser()).isNull();
		assertThat(details.getPassword()).isNull();
		assertThat(details.getTls()).isNull();
		assertThat(detailsOf(new Service("gcr.io/etcd-development/etcd:v3.5.21", Map.of(), Map.of())).getHosts())
			.containsExactly("127.0.0.1:32779");
	}

	@Test
	void bitnamisRootPasswordIsTheAccount() {
		EtcdConnectionDetails details = detailsOf(
				new Service("bitnami/etcd:3.5", Map.of("ETCD_ROOT_PASSWORD", "s3cret"), Map.of()));
		assertThat(details.getUser()).isEqualTo("root");
		assertThat(details.getPassword()).isEqualTo("s3cret");
		assertThat(details.toString()).doesNotContain("s3cret");
	}

	@Test
	void labelsGiveTheAccountAndTlsFilesRelativeToTheComposeFile(@TempDir Path app) throws IOException {
		File composeYaml = Files.writeString(app.resolve("compose.yaml"), "services: {}\n").toFile();
		EtcdConnectionDetails details = detailsOf(new Service("quay.io/coreos/etcd:v3.5.21",
				Map.of("ETCD_LISTEN_CLIENT_URLS", "https://0.0.0.0:2379"),
				Map.of("io.github.rpcdiscovery.etcd.user", "app", "io.github.rpcdiscovery.etcd.password", "pw",
						"io.github.rpcdiscovery.etcd.ca-cert-file", "tls/ca.pem",
						"io.github.rpcdiscovery.etcd.cert-file", "/etc/client.pem",
						"io.github.rpcdiscovery.etcd.cert-key-file", "tls/client-key.pem"),
				composeYaml));
		assertThat(details.getUser()).isEqualTo("app");
		assertThat(details.getPassword()).isEqualTo("pw");
		assertThat(details.getTls()).isEqualTo(new EtcdConnectionDetails.Tls(
				app.resolve("tls/ca.pem").toString(), "/etc/client.pem", app.resolve("tls/client-key.pem").toString(),
				false));
	}

	@Test
	void anyImageLabelledEtcdCountsAndOtherImagesDoNot() {
		assertThat(detailsOf(new Service("registry.example/mirror/etcd-fork:1",
				Map.of(), Map.of("org.springframework.boot.service-connection", "etcd"))).getHosts())
			.containsExactly("127.0.0.1:32779");
		Map<Class<?>, ConnectionDetails> found = factories().getConnectionDetails(
				DockerComposeConnectionSources.of(new Service("redis:7", Map.of(), Map.of())), false);
		assertThat(found).doesNotContainKey(EtcdConnectionDetails.class);
	}

	@Test
	void anHttpsServiceWithoutTlsLabelsFailsAskingForTheCaCertificateLabel() {
		Service https = new Service("quay.io/coreos/etcd:v3.5.21",
				Map.of("ETCD_LISTEN_CLIENT_URLS", "https://0.0.0.0:2379"), Map.of());
		assertThatThrownBy(() -> detailsOf(https)).hasStackTraceContaining("io.github.rpcdiscovery.etcd.ca-cert-file");
		Service trusting = new Service("quay.io/coreos/etcd:v3.5.21",
				Map.of("ETCD_LISTEN_CLIENT_URLS", "https://0.0.0.0:2379"),
				Map.of("io.github.rpcdiscovery.etcd.insecure-skip-verify", "true"));
		assertThat(detailsOf(trusting).getTls()).isEqualTo(new EtcdConnectionDetails.Tls(null, null, null, true));
	}

	@Test
	void withoutTheJetcdClientOnTheClasspathAnEtcdServiceIsNotUsed() {
		Thread thread = Thread.currentThread();
		ClassLoader original = thread.getContextClassLoader();
		thread.setContextClassLoader(new FilteredClassLoader("io.etcd.jetcd"));
		try {
			Map<Class<?>, ConnectionDetails> found = factories().getConnectionDetails(
					DockerComposeConnectionSources.of(new Service("quay.io/coreos/etcd:v3.5.21", Map.of(), Map.of())),
					false);
			assertThat(found).doesNotContainKey(EtcdConnectionDetails.class);
		}
		finally {
			thread.setContextClassLoader(original);
		}
	}

	private static EtcdConnectionDetails detailsOf(RunningService service) {
		Map<Class<?>, ConnectionDetails> found = factories()
			.getConnectionDetails(DockerComposeConnectionSources.of(service), false);
		assertThat(found).containsKey(EtcdConnectionDetails.class);
		return (EtcdConnectionDetails) found.get(EtcdConnectionDetails.class);
	}

	private static ConnectionDetailsFactories factories() {
		return new ConnectionDetailsFactories(EtcdDockerComposeConnectionDetailsFactoryTests.class.getClassLoader());
	}

	/** A service as {@code docker compose} reports it: port 2379 published on 32779 of the loopback Docker host. */
	private record Service(String imageName, Map<String, @Nullable String> env, Map<String, String> labels,
			@Nullable File composeYaml) implements RunningService {

		Service(String imageName, Map<String, @Nullable String> env, Map<String, String> labels) {
			this(imageName, env, labels, null);
		}

		@Override
		public String name() {
			return "etcd";
		}

		@Override
		public ImageReference image() {
			return ImageReference.of(this.imageName);
		}

		@Override
		public String host() {
			return "127.0.0.1";
		}

		@Override
		public ConnectionPorts ports() {
			return new ConnectionPorts() {

				@Override
				public int get(int containerPort) {
					if (containerPort != 2379) {
						throw new IllegalArgumentException("only 2379 is published, not " + containerPort);
					}
					return 32779;
				}

				@Override
				public List<Integer> getAll() {
					return List.of(32779);
				}

				@Override
				public List<Integer> getAll(@Nullable String protocol) {
					return List.of(32779);
				}

			};
		}

		@Override
		public @Nullable DockerComposeFile composeFile() {
			return (this.composeYaml != null) ? DockerComposeFile.of(this.composeYaml) : null;
		}

	}

}

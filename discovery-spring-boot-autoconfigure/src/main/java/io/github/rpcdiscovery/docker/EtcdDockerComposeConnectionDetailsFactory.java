package io.github.rpcdiscovery.docker;

import java.io.File;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.autoconfigure.EtcdConnectionDetails;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.docker.compose.core.DockerComposeFile;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * With {@code spring-boot-docker-compose}, an etcd service of {@code compose.yaml} (image {@code quay.io/coreos/etcd},
 * {@code gcr.io/etcd-development/etcd} or {@code bitnami/etcd}, or any image labelled
 * {@code org.springframework.boot.service-connection: etcd}) is the application's etcd: its client port 2379 as
 * published on the Docker host.
 * <p>
 * Account: Bitnami's {@code ETCD_ROOT_PASSWORD} (user {@code root}), or the labels
 * {@code io.github.rpcdiscovery.etcd.user} and {@code io.github.rpcdiscovery.etcd.password}. TLS, when the service
 * listens on https ({@code ETCD_LISTEN_CLIENT_URLS}) or a TLS label is set: the labels
 * {@code io.github.rpcdiscovery.etcd.ca-cert-file}, {@code .cert-file}, {@code .cert-key-file} (PEM files, relative
 * to the compose file's directory) and {@code .insecure-skip-verify}. An https service without any of them fails the
 * startup, asking for the ca-cert-file label. Needs the jetcd client ({@code io.etcd.jetcd.Client}) on the classpath.
 */
class EtcdDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<EtcdConnectionDetails> {

	static final String[] ETCD_IMAGES = { "coreos/etcd", "etcd-development/etcd", "bitnami/etcd", "etcd" };

	static final int CLIENT_PORT = 2379;

	static final String LABEL_PREFIX = "io.github.rpcdiscovery.etcd.";

	EtcdDockerComposeConnectionDetailsFactory() {
		super(ETCD_IMAGES, "io.etcd.jetcd.Client");
	}

	@Override
	protected EtcdConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return new EtcdDockerComposeConnectionDetails(source.getRunningService());
	}

	/** {@link EtcdConnectionDetails} of a running etcd service. */
	static final class EtcdDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements EtcdConnectionDetails {

		private final List<String> hosts;

		private final @Nullable String user;

		private final @Nullable String password;

		private final @Nullable Tls tls;

		EtcdDockerComposeConnectionDetails(RunningService service) {
			super(service);
			Map<String, String> labels = service.labels();
			this.hosts = List.of(service.host() + ":" + service.ports().get(CLIENT_PORT));
			String rootPassword = service.env().get("ETCD_ROOT_PASSWORD");
			String labelledUser = labels.get(LABEL_PREFIX + "user");
			this.user = (labelledUser != null) ? labelledUser : (rootPassword != null) ? "root" : null;
			this.password = (labelledUser != null) ? labels.get(LABEL_PREFIX + "password") : rootPassword;
			this.tls = tls(service, labels);
		}

		private static @Nullable Tls tls(RunningService service, Map<String, String> labels) {
			String listen = service.env().get("ETCD_LISTEN_CLIENT_URLS");
			String caCertFile = file(service, labels.get(LABEL_PREFIX + "ca-cert-file"));
			String certFile = file(service, labels.get(LABEL_PREFIX + "cert-file"));
			String certKeyFile = file(service, labels.get(LABEL_PREFIX + "cert-key-file"));
			boolean insecure = Boolean.parseBoolean(labels.get(LABEL_PREFIX + "insecure-skip-verify"));
			boolean https = listen != null && listen.strip().startsWith("https://");
			if (caCertFile == null && certFile == null && !insecure) {
				if (https) {
					// TLS needs something to trust: without it the client would speak plain text to an https port
					throw new IllegalStateException("etcd service '" + service.name() + "' listens on " + listen
							+ ": label it with " + LABEL_PREFIX + "ca-cert-file (the PEM CA of its certificate, "
							+ "relative to the compose file) or " + LABEL_PREFIX + "insecure-skip-verify: true");
				}
				return null;
			}
			return new Tls(caCertFile, certFile, certKeyFile, insecure);
		}

		/** A label's file, relative to the directory of the compose file that defines the service. */
		private static @Nullable String file(RunningService service, @Nullable String path) {
			if (path == null || path.isBlank()) {
				return null;
			}
			File file = new File(path);
			DockerComposeFile composeFile = service.composeFile();
			if (file.isAbsolute() || composeFile == null || composeFile.getFiles().isEmpty()) {
				return file.getPath();
			}
			return new File(composeFile.getFiles().get(0).getParentFile(), path).getPath();
		}

		@Override
		public List<String> getHosts() {
			return this.hosts;
		}

		@Override
		public @Nullable String getUser() {
			return this.user;
		}

		@Override
		public @Nullable String getPassword() {
			return this.password;
		}

		@Override
		public @Nullable Tls getTls() {
			return this.tls;
		}

		/** Never shows the password. */
		@Override
		public String toString() {
			return "etcd" + this.hosts + " of Docker Compose";
		}

	}

}

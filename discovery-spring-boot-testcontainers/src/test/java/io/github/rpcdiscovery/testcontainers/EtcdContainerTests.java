package io.github.rpcdiscovery.testcontainers;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.wait.strategy.HttpWaitStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.utility.DockerImageName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** How an {@link EtcdContainer} is set up, checked without starting it (there is no Docker engine here). */
class EtcdContainerTests {

	@Test
	void theDefaultIsTheEtcdProjectsImageAtTheDefaultTag() {
		assertThat(new EtcdContainer().getEtcdImage().asCanonicalNameString()).isEqualTo("quay.io/coreos/etcd:v3.5.21");
		assertThat(new EtcdContainer("v3.6.4").getEtcdImage().asCanonicalNameString())
			.isEqualTo("quay.io/coreos/etcd:v3.6.4");
		assertThat(new EtcdContainer(DockerImageName.parse("gcr.io/etcd-development/etcd:v3.5.21"))
			.getEtcdImage()
			.asCanonicalNameString()).isEqualTo("gcr.io/etcd-development/etcd:v3.5.21");
	}

	@Test
	void anotherImageIsRefusedUnlessDeclaredASubstitute() {
		assertThatIllegalStateException().isThrownBy(() -> new EtcdContainer(DockerImageName.parse("redis:7")));
		DockerImageName mirror = DockerImageName.parse("registry.example/mirror/etcd:v3.5.21")
			.asCompatibleSubstituteFor("quay.io/coreos/etcd");
		assertThat(new EtcdContainer(mirror).getExposedPorts()).contains(EtcdContainer.CLIENT_PORT);
	}

	@Test
	void servesPlainHttpAndHealthOnThePlainMetricsPort() {
		EtcdContainer etcd = new EtcdContainer();
		etcd.configure();
		assertThat(etcd.getCommandParts()).containsSequence("--listen-client-urls", "http://0.0.0.0:2379")
			.containsSequence("--listen-metrics-urls", "http://0.0.0.0:2381")
			.doesNotContain("--cert-file");
		assertThat(etcd.getExposedPorts()).containsExactly(2379, 2381);
		assertThat(etcd.getTls()).isNull();
	}

	@Test
	void waitsForHealthOnThePlainMetricsPort() {
		EtcdContainer etcd = new EtcdContainer();
		etcd.configure();
		assertThat(etcd).extracting("waitStrategy")
			.isInstanceOf(HttpWaitStrategy.class)
			.extracting("path", "livenessPort", "statusCodes")
			.containsExactly("/health", Optional.of(2381), Set.of(200));
	}

	@Test
	void theUsersOwnCommandAndWaitStrategyAreKept() {
		WaitStrategy listening = Wait.forListeningPort();
		EtcdContainer etcd = new EtcdContainer().withCommand("etcd", "--name", "mine").waitingFor(listening);
		etcd.configure();
		assertThat(etcd.getCommandParts()).containsExactly("etcd", "--name", "mine");
		assertThat(etcd).extracting("waitStrategy").isSameAs(listening);
	}

	@Test
	void withEtcdArgumentAddsToTheCommandKeepingTlsFlags() {
		EtcdContainer etcd = new EtcdContainer()
			.withTls(Path.of("/certs/server.pem"), Path.of("/certs/server-key.pem"), Path.of("/certs/ca.pem"))
			.withEtcdArgument("--auto-compaction-retention", "1");
		etcd.configure();
		assertThat(etcd.getCommandParts()).containsSequence("--auto-compaction-retention", "1")
			.containsSequence("--listen-client-urls", "https://0.0.0.0:2379")
			.contains("--cert-file");
	}

	@Test
	void aClientCertificateWithoutTlsIsRefused() {
		EtcdContainer etcd = new EtcdContainer().withClientCertificate(Path.of("/certs/client.pem"),
				Path.of("/certs/client-key.pem"));
		assertThatIllegalStateException().isThrownBy(etcd::configure).withMessageContaining("withTls");
	}

	@Test
	void withTlsServesHttpsOnlyAndWithAClientCertificateRequiresOne() {
		EtcdContainer etcd = new EtcdContainer().withTls(Path.of("/certs/server.pem"), Path.of("/certs/server-key.pem"),
				Path.of("/certs/ca.pem"));
		etcd.configure();
		assertThat(etcd.getCommandParts()).containsSequence("--listen-client-urls", "https://0.0.0.0:2379")
			.contains("--cert-file", "--key-file")
			.containsSequence("--listen-metrics-urls", "http://0.0.0.0:2381")
			.doesNotContain("--client-cert-auth");
		assertThat(etcd.getCopyToFileContainerPathMap().values()).contains("/etc/etcd/tls/server.pem",
				"/etc/etcd/tls/server-key.pem", "/etc/etcd/tls/ca.pem");

		EtcdContainer mutual = new EtcdContainer()
			.withTls(Path.of("/certs/server.pem"), Path.of("/certs/server-key.pem"), Path.of("/certs/ca.pem"))
			.withClientCertificate(Path.of("/certs/client.pem"), Path.of("/certs/client-key.pem"));
		mutual.configure();
		assertThat(mutual.getCommandParts()).containsSequence("--client-cert-auth", "--trusted-ca-file",
				"/etc/etcd/tls/ca.pem");
	}

}

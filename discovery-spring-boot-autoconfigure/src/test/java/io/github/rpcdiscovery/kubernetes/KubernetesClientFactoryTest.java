package io.github.rpcdiscovery.kubernetes;

import java.util.Map;

import io.fabric8.kubernetes.client.Config;
import io.github.rpcdiscovery.kubernetes.KubernetesProperties.AddressFamily;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the client goes: fabric8's own discovery, or only what rpc.kubernetes.* gives. */
class KubernetesClientFactoryTest {

	@Test
	void anExplicitMasterUrlUsesOnlyTheGivenCredentials() {
		Config config = KubernetesClientFactory.config(new KubernetesProperties(null, null, null, Map.of(),
				AddressFamily.IPV4, false, "https://127.0.0.1:6443", "s3cr3t", "/etc/ca.pem", false));
		assertThat(config.getMasterUrl()).startsWith("https://127.0.0.1:6443");
		assertThat(config.getOauthToken()).isEqualTo("s3cr3t");
		assertThat(config.getCaCertFile()).isEqualTo("/etc/ca.pem");
		assertThat(config.isTrustCerts()).isFalse();
		assertThat(config.getUsername()).isNull();
		assertThat(config.getRequestRetryBackoffLimit()).as("the informers retry").isZero();
	}

	@Test
	void withoutAMasterUrlFabric8FindsTheClusterItself() {
		Config config = KubernetesClientFactory.config(KubernetesProperties.defaults());
		assertThat(config.getMasterUrl()).isNotBlank();
		assertThat(config.getRequestRetryBackoffLimit()).isZero();
	}

	@Test
	void theTokenNeverShowsInTheProperties() {
		KubernetesProperties properties = new KubernetesProperties(null, null, null, Map.of(), AddressFamily.IPV4,
				false, "https://127.0.0.1:6443", "s3cr3t", null, false);
		assertThat(properties.toString()).doesNotContain("s3cr3t").contains("token=******");
	}

}

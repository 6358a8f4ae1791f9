package io.github.rpcdiscovery.core;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.rpcdiscovery.target.HostAndPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DiscoveredInstanceTest {

	@Test
	void withoutMetadataItCarriesOnlyItsSource() {
		DiscoveredInstance instance = new DiscoveredInstance("user.rpc", new HostAndPort("127.0.0.1", 8080), "etcd",
				Map.of());
		assertThat(instance.getMetadata()).containsExactly(Map.entry(DiscoveredInstance.SOURCE_METADATA_KEY, "etcd"));
		assertThat(instance.getMetadata().get(null)).isNull();
		assertThat(instance.getInstanceId()).isEqualTo("127.0.0.1:8080");
		assertThat(instance.isSecure()).isFalse();
		assertThat(instance.getScheme()).isEqualTo("http");
		assertThat(instance.getUri()).hasToString("http://127.0.0.1:8080").isSameAs(instance.getUri());
	}

	@Test
	void metadataKeepsItsOrderAndCannotBeChanged() {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("zone", "z1");
		metadata.put("scheme", "https");
		DiscoveredInstance instance = new DiscoveredInstance("user.rpc", new HostAndPort("::1", 8443), "etcd",
				metadata);
		assertThat(instance.getMetadata()).containsExactly(Map.entry("zone", "z1"), Map.entry("scheme", "https"),
				Map.entry(DiscoveredInstance.SOURCE_METADATA_KEY, "etcd"));
		assertThat(instance.isSecure()).isTrue();
		assertThat(instance.getScheme()).isEqualTo("https");
		assertThat(instance.getUri()).hasToString("https://[::1]:8443");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> instance.getMetadata().put("zone", "z2"));
		metadata.put("zone", "changed");
		assertThat(instance.getMetadata()).containsEntry("zone", "z1");
	}

	@Test
	void equalityIgnoresWhetherTheUriWasBuilt() {
		DiscoveredInstance built = new DiscoveredInstance("a", new HostAndPort("127.0.0.1", 1), "direct", Map.of());
		built.getUri();
		DiscoveredInstance fresh = new DiscoveredInstance("a", new HostAndPort("127.0.0.1", 1), "direct", Map.of());
		assertThat(built).isEqualTo(fresh).hasSameHashCodeAs(fresh);
	}

}

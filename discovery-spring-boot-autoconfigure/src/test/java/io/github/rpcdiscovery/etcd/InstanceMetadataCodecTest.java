package io.github.rpcdiscovery.etcd;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.rpcdiscovery.target.HostAndPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InstanceMetadataCodecTest {

	@Test
	void metadataLivesOutsideTheInstancePrefix() {
		assertThat(InstanceMetadataCodec.metadataKey("user.rpc", "7587857472832806666"))
			.isEqualTo("_rpc-meta/user.rpc/7587857472832806666")
			.doesNotStartWith("user.rpc/");
		assertThat(InstanceMetadataCodec.metadataPrefix("user.rpc")).isEqualTo("_rpc-meta/user.rpc/");
	}

	@Test
	void encodesAddressFirstAndEscapes() {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("zone", "z1");
		metadata.put("weight", "10");
		metadata.put("scheme", "https");
		metadata.put("version", "1.2");
		metadata.put("note", "a&b=c d");
		assertThat(InstanceMetadataCodec.encode("127.0.0.1:8080", metadata)).isEqualTo(
				"address=127.0.0.1%3A8080&zone=z1&weight=10&scheme=https&version=1.2&note=a%26b%3Dc+d");
	}

	@Test
	void roundTrips() {
		Map<String, String> metadata = Map.of("zone", "z1", "note", "ü & = %");
		InstanceMetadataCodec.Decoded decoded = InstanceMetadataCodec
			.decode(InstanceMetadataCodec.encode("[::1]:9090", metadata));
		assertThat(decoded.address()).isEqualTo(new HostAndPort("::1", 9090));
		assertThat(decoded.metadata()).isEqualTo(metadata);
	}

	@Test
	void decodesTheDocumentedExample() {
		InstanceMetadataCodec.Decoded decoded = InstanceMetadataCodec
			.decode("address=127.0.0.1%3A8080&zone=z1&weight=10&scheme=https&version=1.2");
		assertThat(decoded.address()).hasToString("127.0.0.1:8080");
		assertThat(decoded.metadata()).containsExactly(Map.entry("zone", "z1"), Map.entry("weight", "10"),
				Map.entry("scheme", "https"), Map.entry("version", "1.2"));
	}

	@Test
	void emptyValuesAreAllowed() {
		assertThat(InstanceMetadataCodec.decode("address=127.0.0.1:80&zone=").metadata()).containsEntry("zone", "");
	}

	@Test
	void refusesMalformedValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadataCodec.decode(""));
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadataCodec.decode("zone=z1"))
			.withMessageContaining("no address");
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadataCodec.decode("address=nonsense"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> InstanceMetadataCodec.decode("address=127.0.0.1:80&garbage"))
			.withMessageContaining("name=value");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> InstanceMetadataCodec.decode("address=127.0.0.1:80&zone=a&zone=b"))
			.withMessageContaining("repeated");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> InstanceMetadataCodec.decode("address=127.0.0.1:80&zone=%zz"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> InstanceMetadataCodec.decode("address=127.0.0.1:70000"));
	}

	@Test
	void refusesReservedOrBadInput() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> InstanceMetadataCodec.encode("127.0.0.1:80", Map.of("address", "x")));
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadataCodec.encode("127.0.0.1:80", Map.of("", "x")));
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadataCodec.encode("no-port", Map.of()));
	}

}

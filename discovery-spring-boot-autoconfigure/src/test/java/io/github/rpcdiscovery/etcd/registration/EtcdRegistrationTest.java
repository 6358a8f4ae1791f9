package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.Map;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.target.HostAndPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** go-zero's key and value, and the metadata beside them, as they are written. */
class EtcdRegistrationTest {

	private static EtcdRegistration registration(long fixedId, Map<String, String> metadata) {
		return new EtcdRegistration("user.rpc", fixedId, Duration.ofSeconds(10), metadata,
				new HostAndPort("127.0.0.5", 8080));
	}

	@Test
	void theSuffixIsTheLeaseIdAsASignedDecimalOrTheFixedId() {
		assertThat(registration(0, Map.of()).keyFor(7587857472832806666L)).isEqualTo("user.rpc/7587857472832806666");
		assertThat(registration(0, Map.of()).keyFor(-42L)).isEqualTo("user.rpc/-42");
		assertThat(registration(42, Map.of()).keyFor(7587857472832806666L)).isEqualTo("user.rpc/42");
		assertThat(registration(0, Map.of()).metadataKeyFor(5)).isEqualTo("_rpc-meta/user.rpc/5");
		assertThat(ActiveLease.hex(7587857472832806666L)).isEqualTo("694d7c2b5a7e1f0a");
		assertThat(ActiveLease.hex(5)).isEqualTo("0000000000000005");
	}

	@Test
	void theValueIsTheBareAddressAndTheMetadataIsFormEncodedAfterIt() {
		EtcdRegistration registration = registration(0,
				RegistrationProperties.defaults().registeredMetadata("z1", "http"));
		registration.getMetadata().put("owner", "team a&b");
		assertThat(registration.value()).isEqualTo("127.0.0.5:8080");
		assertThat(registration.metadataValue())
			.isEqualTo("address=127.0.0.5%3A8080&scheme=http&zone=z1&owner=team+a%26b");
		EtcdRegistration ipv6 = new EtcdRegistration("user.rpc", 0, Duration.ofSeconds(10), Map.of(),
				new HostAndPort("::1", 8080));
		assertThat(ipv6.value()).isEqualTo("[::1]:8080");
		assertThat(ipv6.metadataValue()).isEqualTo("address=%5B%3A%3A1%5D%3A8080");
	}

	@Test
	void theAddressIsBoundOnce() {
		EtcdRegistration registration = new EtcdRegistration("user.rpc", 0, Duration.ofSeconds(10), Map.of(), null);
		assertThat(registration.getInstanceId()).isNull();
		assertThatThrownBy(registration::getHost).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("resolved when the application is ready");
		registration.bindAddress(new HostAndPort("127.0.0.5", 8080));
		registration.bindAddress(new HostAndPort("127.0.0.5", 8080));
		assertThatThrownBy(() -> registration.bindAddress(new HostAndPort("127.0.0.6", 8080)))
			.isInstanceOf(IllegalStateException.class);
		assertThat(registration.getInstanceId()).isEqualTo("127.0.0.5:8080");
		assertThat(registration.getUri()).hasToString("http://127.0.0.5:8080");
		assertThat(registration.getServiceId()).isEqualTo("user.rpc");
	}

	@Test
	void namedMetadataWinsOverFreeFormAndDefaultsFillTheRest() {
		RegistrationProperties properties = new RegistrationProperties(true, false, null, 5, "1.2", "https",
				Map.of("zone", "z-free", "weight", "9", "a", "1"));
		assertThat(properties.registeredMetadata("z-default", "http")).containsExactly(Map.entry("scheme", "https"),
				Map.entry("zone", "z-free"), Map.entry("weight", "5"), Map.entry("version", "1.2"), Map.entry("a", "1"));
		assertThat(RegistrationProperties.defaults().registeredMetadata(null, "http"))
			.containsExactly(Map.entry("scheme", "http"));
		EtcdRegistration secure = registration(0, properties.registeredMetadata(null, "http"));
		assertThat(secure.isSecure()).isTrue();
		assertThat(secure.getUri()).hasToString("https://127.0.0.5:8080");
	}

	@Test
	void metadataThatCannotBeRegisteredIsRefusedWithTheProperty() {
		assertThatThrownBy(() -> new RegistrationProperties(true, false, null, 0, null, null, Map.of())
			.registeredMetadata(null, "http")).isInstanceOfSatisfying(InvalidRpcPropertyException.class,
					(ex) -> assertThat(ex.getProperty()).isEqualTo("rpc.registration.weight"));
		assertThatThrownBy(() -> new RegistrationProperties(true, false, null, null, null, "grpc", Map.of())
			.registeredMetadata(null, "http")).isInstanceOfSatisfying(InvalidRpcPropertyException.class,
					(ex) -> assertThat(ex.getProperty()).isEqualTo("rpc.registration.scheme"));
		assertThatThrownBy(() -> new RegistrationProperties(true, false, null, null, null, null,
				Map.of("address", "127.0.0.9:1"))
			.registeredMetadata(null, "http")).isInstanceOfSatisfying(InvalidRpcPropertyException.class,
					(ex) -> assertThat(ex.getProperty()).isEqualTo("rpc.registration.metadata.address"));
	}

}

package io.github.rpcdiscovery.etcd.registration;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.target.HostAndPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registered address, from injected inputs only: no interface is read, no socket opened. Every address here is
 * loopback; the "detected" ones stand in for what InetUtils would find.
 */
class RegistrationAddressResolverTest {

	private final AtomicInteger detections = new AtomicInteger();

	private RegistrationAddressResolver resolver(String listenOn, String podIp, String detected) {
		return new RegistrationAddressResolver(listenOn, () -> podIp, () -> {
			this.detections.incrementAndGet();
			return detected;
		});
	}

	@Test
	void anExplicitHostWinsAndTheWebServerPortIsUsed() {
		RegistrationAddressResolver.Resolved resolved = resolver("127.0.0.3", "127.0.0.8", "127.0.0.9").resolve(8080);
		assertThat(resolved.address()).isEqualTo(new HostAndPort("127.0.0.3", 8080));
		assertThat(resolved.origin()).isEqualTo("rpc.listen-on");
		assertThat(this.detections).hasValue(0);
	}

	@Test
	void aPortInListenOnReplacesTheWebServerPort() {
		assertThat(resolver("127.0.0.3:9090", null, null).resolve(8080).address())
			.isEqualTo(new HostAndPort("127.0.0.3", 9090));
	}

	@Test
	void aWildcardOrEmptyHostFallsBackToPodIp() {
		for (String listenOn : new String[] { "0.0.0.0:9090", ":9090", "[::]:9090" }) {
			RegistrationAddressResolver.Resolved resolved = resolver(listenOn, "127.0.0.8", "127.0.0.9").resolve(8080);
			assertThat(resolved.address()).as(listenOn).isEqualTo(new HostAndPort("127.0.0.8", 9090));
			assertThat(resolved.origin()).isEqualTo("POD_IP");
		}
		assertThat(resolver(null, "127.0.0.8", "127.0.0.9").resolve(8080).address())
			.isEqualTo(new HostAndPort("127.0.0.8", 8080));
		assertThat(this.detections).hasValue(0);
	}

	@Test
	void withoutListenOnAndPodIpTheDetectedAddressIsUsedButNeverALoopbackOne() {
		assertThatThrownBy(() -> resolver(null, null, "127.0.0.9").resolve(8080))
			.isInstanceOfSatisfying(InvalidRpcPropertyException.class, (ex) -> {
				assertThat(ex.getProperty()).isEqualTo("rpc.listen-on");
				assertThat(ex.getProblem()).contains("loopback address 127.0.0.9", "other machines cannot call");
				assertThat(ex.getFix()).contains("${POD_IP}", "registered only when set there explicitly");
			});
		assertThat(this.detections).hasValue(1);
		assertThatThrownBy(() -> resolver(null, "", "::1").resolve(8080))
			.isInstanceOf(InvalidRpcPropertyException.class);
		assertThatThrownBy(() -> resolver("0.0.0.0", null, null).resolve(8080))
			.isInstanceOfSatisfying(InvalidRpcPropertyException.class,
					(ex) -> assertThat(ex.getProblem()).contains("no address to register was found"));
	}

	@Test
	void theDetectedAddressIsUsedWhenNothingElseIsSet() {
		// stands in for a routable address from InetUtils; the resolver accepts whatever is not loopback
		RegistrationAddressResolver resolver = new RegistrationAddressResolver(null, () -> null, () -> "localhost.test");
		RegistrationAddressResolver.Resolved resolved = resolver.resolve(8080);
		assertThat(resolved.address()).isEqualTo(new HostAndPort("localhost.test", 8080));
		assertThat(resolved.origin()).isEqualTo("InetUtils");
	}

	@Test
	void aLoopbackAddressAskedForExplicitlyIsRegistered() {
		assertThat(resolver("127.0.0.1", null, null).resolve(8080).address())
			.isEqualTo(new HostAndPort("127.0.0.1", 8080));
		assertThat(resolver("[::1]:7000", null, null).resolve(8080).address().toString()).isEqualTo("[::1]:7000");
		assertThat(resolver("::1", null, null).resolve(8080).address().toString()).isEqualTo("[::1]:8080");
	}

	@Test
	void ipv6FromPodIpIsBracketedAndLosesItsScope() {
		assertThat(resolver(null, "::1", null).resolve(8080).address().toString()).isEqualTo("[::1]:8080");
		assertThat(resolver(null, "[::1]", null).resolve(8080).address().toString()).isEqualTo("[::1]:8080");
		assertThatThrownBy(() -> resolver(null, null, "::1%lo").resolve(8080))
			.isInstanceOfSatisfying(InvalidRpcPropertyException.class,
					(ex) -> assertThat(ex.getProblem()).contains("loopback address ::1,"));
	}

	@Test
	void withoutAnyPortNothingIsRegistered() {
		assertThat(resolver("127.0.0.3", null, null).resolve(null)).isNull();
		assertThat(resolver(null, "127.0.0.8", null).resolve(null)).isNull();
		assertThat(this.detections).hasValue(0);
	}

	@Test
	void badListenOnValuesNameTheProperty() {
		for (String bad : new String[] { "127.0.0.1:http", "127.0.0.1:70000", "8080", "[::1", "[::1]x", "a b:80",
				"http://127.0.0.1:80" }) {
			assertThatThrownBy(() -> resolver(bad, null, null)).as(bad)
				.isInstanceOfSatisfying(InvalidRpcPropertyException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo("rpc.listen-on"));
		}
	}

}

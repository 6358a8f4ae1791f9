package io.github.rpcdiscovery.target;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HostAndPortTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "127.0.0.1:8080|127.0.0.1|8080|127.0.0.1:8080",
			" 127.0.0.2:1 |127.0.0.2|1|127.0.0.2:1", "[::1]:8080|::1|8080|[::1]:8080",
			"localhost:65535|localhost|65535|localhost:65535" })
	void parsesGoZeroAddresses(String text, String host, int port, String wire) {
		HostAndPort address = HostAndPort.parse(text);
		assertThat(address.host()).isEqualTo(host);
		assertThat(address.port()).isEqualTo(port);
		assertThat(address).hasToString(wire);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "127.0.0.1|has no port", "127.0.0.1:|has no port", ":8080|host is empty",
			"127.0.0.1:0|out of range", "127.0.0.1:65536|out of range", "127.0.0.1:99999999999|out of range",
			"127.0.0.1:http|not a number", "::1:8080|must be bracketed", "[::1]8080|has no port",
			"[::1:8080|closing", "''|empty" })
	void rejectsWithAMessageThatSaysWhy(String text, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> HostAndPort.parse(text)).withMessageContaining(message);
	}

	@Test
	void parseOrNullSkipsGarbageInsteadOfThrowing() {
		assertThat(HostAndPort.parseOrNull("garbage")).isNull();
		assertThat(HostAndPort.parseOrNull("127.0.0.5:8080")).isEqualTo(new HostAndPort("127.0.0.5", 8080));
	}

	@Test
	void knowsLoopback() {
		assertThat(HostAndPort.parse("127.0.0.3:1").isLoopback()).isTrue();
		assertThat(HostAndPort.parse("[::1]:1").isLoopback()).isTrue();
		assertThat(HostAndPort.parse("service.local:1").isLoopback()).isFalse();
	}

}

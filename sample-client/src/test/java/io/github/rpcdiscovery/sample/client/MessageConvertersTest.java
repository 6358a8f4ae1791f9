package io.github.rpcdiscovery.sample.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No surprise beans: a plain web application has the same HTTP message converters with the starter as without it
 * (fabric8's YAML data format, for one, would give Spring MVC a YAML converter). Each runs in a child JVM: with this
 * module's runtime classpath, and with it minus the starter and everything it brings.
 */
class MessageConvertersTest {

	/** The starter's modules, Spring Cloud and what the starter brings with them, jetcd's and fabric8's libraries. */
	static final List<String> THE_STARTER = concat(List.of("discovery-spring-boot-starter",
			"discovery-spring-boot-autoconfigure", "/org/springframework/cloud/", "/org/springframework/retry/",
			"/io/projectreactor/addons/", "/com/stoyanr/", "/org/bouncycastle/"), ChildClasspath.JETCD, ChildClasspath.FABRIC8);

	@TempDir
	Path workDir;

	@Test
	void aWebApplicationHasTheSameMessageConvertersWithTheStarterAsWithout() throws Exception {
		List<String> with = converters("with", ChildClasspath.runtime());
		List<String> without = converters("without", ChildClasspath.without(THE_STARTER));
		assertThat(without).isNotEmpty();
		assertThat(with).isEqualTo(without);
	}

	private List<String> converters(String name, String classpath) throws Exception {
		Path output = this.workDir.resolve(name + ".log");
		Process process = new ProcessBuilder(ChildClasspath.javaBinary(), "-Xshare:off", "-XX:TieredStopAtLevel=1", "-cp",
				classpath, ConverterListingApp.class.getName(), "--spring.config.name=converter-listing",
				"--server.address=127.0.0.1", "--server.port=0", "--spring.docker.compose.enabled=false")
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(name + " exits").isTrue();
		}
		finally {
			process.destroyForcibly();
		}
		List<String> lines = Files.readAllLines(output);
		List<String> converters = lines.stream().filter((line) -> line.startsWith("converter: ")).toList();
		assertThat(converters).as(name + "'s log:\n" + String.join("\n", lines)).isNotEmpty();
		return converters;
	}

	@SafeVarargs
	private static List<String> concat(List<String>... lists) {
		return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
	}

}

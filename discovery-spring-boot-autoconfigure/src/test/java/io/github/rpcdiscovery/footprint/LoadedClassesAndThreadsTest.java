package io.github.rpcdiscovery.footprint;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an application pays for the modes it does not use: {@link FootprintApp} runs in a child JVM with
 * {@code -Xlog:class+load}, once per mode, and the classes it loaded from jetcd, grpc-java, Netty, Vert.x and fabric8
 * and the threads alive after startup are compared with the same application without this starter's
 * auto-configurations. The child's classpath is this test's minus Spring gRPC, whose own server would load gRPC and
 * Netty whatever this starter does (the gRPC parts of the starter only run with Spring gRPC present).
 */
class LoadedClassesAndThreadsTest {

	static final List<String> HEAVY = List.of("io.etcd.jetcd.", "io.grpc.", "io.netty.", "io.vertx.", "io.fabric8.");

	/**
	 * The classes this starter's {@code @ConditionalOnClass} name, with their supertypes: Spring Boot loads them (without
	 * initialising them) to learn whether they are there.
	 */
	static final Set<String> PRESENCE_PROBES = Set.of("io.etcd.jetcd.Client", "io.fabric8.kubernetes.client.Client",
			"io.fabric8.kubernetes.client.KubernetesClient", "io.grpc.NameResolverProvider", "io.grpc.NameResolver$Factory");

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	@TempDir
	Path workDir;

	@Test
	void withoutRpcKeysNoneOfJetcdGrpcNettyVertxOrFabric8LoadsAndNoThreadStarts() throws Exception {
		Footprint footprint = run("none");
		assertThat(footprint.heavyClassesBeyond(baseline())).isEmpty();
		assertThat(footprint.threadsBeyond(baseline())).isEmpty();
	}

	@Test
	void directEndpointsLoadNoneOfThemAndStartNoThread() throws Exception {
		Footprint footprint = run("direct", "--rpc.name=footprint", "--rpc.endpoints=127.0.0.1:8081");
		assertThat(footprint.heavyClassesBeyond(baseline())).isEmpty();
		assertThat(footprint.threadsBeyond(baseline())).isEmpty();
	}

	@Test
	void etcdModeLoadsJetcdButNotFabric8() throws Exception {
		Footprint footprint = run("etcd", "--spring.application.name=footprint.rpc",
				"--rpc.etcd.hosts=" + etcd.hostAndPort(), "--rpc.listen-on=127.0.0.1");
		assertThat(footprint.heavyClassesPerPrefixBeyond(baseline())).containsKeys("io.etcd.jetcd.", "io.grpc.")
			.doesNotContainKey("io.fabric8.");
	}

	@Test
	void kubernetesModeLoadsFabric8ButNoneOfJetcdGrpcNettyOrVertx() throws Exception {
		try (MockKubernetes cluster = MockKubernetes.start()) {
			cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
			Footprint footprint = run("kubernetes", "--rpc.target=k8s://shop/cart:8080",
					"--rpc.kubernetes.master-url=" + cluster.url(), "--rpc.kubernetes.token=app-token");
			assertThat(footprint.heavyClassesPerPrefixBeyond(baseline())).containsOnlyKeys("io.fabric8.");
			assertThat(footprint.threadsBeyond(baseline())).as("threads beyond the baseline")
				.noneMatch((thread) -> thread.contains("etcd") || thread.contains("grpc"));
		}
	}

	private static Footprint baselineFootprint;

	/** The same application without this starter's auto-configurations. */
	private Footprint baseline() throws Exception {
		if (baselineFootprint == null) {
			baselineFootprint = run("baseline", "--spring.autoconfigure.exclude=" + String.join(",", ourAutoConfigurations()));
		}
		return baselineFootprint;
	}

	private static List<String> ourAutoConfigurations() throws IOException {
		try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/spring/"
				+ "org.springframework.boot.autoconfigure.AutoConfiguration.imports"))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
				.map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.toList();
		}
	}

	private Footprint run(String name, String... args) throws Exception {
		Path classLog = this.workDir.resolve(name + "-classes.log");
		Path output = this.workDir.resolve(name + ".log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xshare:off", "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + classLog + ":none", "-cp",
				childClasspath(), FootprintApp.class.getName(), "--server.address=127.0.0.1", "--server.port=0"));
		command.addAll(Arrays.asList(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		try {
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(name + " exits").isTrue();
		}
		finally {
			process.destroyForcibly();
		}
		List<String> lines = Files.readAllLines(output);
		assertThat(lines).as(name + " started; its log:\n" + String.join("\n", lines)).contains("started");
		Set<String> threads = lines.stream()
			.filter((line) -> line.startsWith("thread: "))
			.map((line) -> line.substring("thread: ".length()).replaceAll("\\d+", "#"))
			.collect(Collectors.toCollection(TreeSet::new));
		Set<String> classes = Files.readAllLines(classLog)
			.stream()
			.map((line) -> line.split(" ", 2)[0])
			.collect(Collectors.toCollection(TreeSet::new));
		return new Footprint(classes, threads);
	}

	/** This test's classpath without Spring gRPC. */
	private static String childClasspath() {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !entry.replace(File.separatorChar, '/').contains("/org/springframework/grpc/"))
			.collect(Collectors.joining(File.pathSeparator));
	}

	record Footprint(Set<String> classes, Set<String> threads) {

		/** Classes of jetcd, grpc-java, Netty, Vert.x and fabric8 that the baseline did not load, but for probes. */
		List<String> heavyClassesBeyond(Footprint baseline) {
			return this.classes.stream()
				.filter((name) -> HEAVY.stream().anyMatch(name::startsWith))
				.filter((name) -> !baseline.classes.contains(name) && !PRESENCE_PROBES.contains(name))
				.toList();
		}

		Map<String, Long> heavyClassesPerPrefixBeyond(Footprint baseline) {
			Map<String, Long> counts = new TreeMap<>();
			for (String name : heavyClassesBeyond(baseline)) {
				HEAVY.stream().filter(name::startsWith).findFirst().ifPresent((prefix) -> counts.merge(prefix, 1L, Long::sum));
			}
			return counts;
		}

		Set<String> threadsBeyond(Footprint baseline) {
			Set<String> extra = new TreeSet<>(this.threads);
			extra.removeAll(baseline.threads);
			return extra;
		}

	}

}

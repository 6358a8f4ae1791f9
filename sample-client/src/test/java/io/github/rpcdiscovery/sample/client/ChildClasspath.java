package io.github.rpcdiscovery.sample.client;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * This module's runtime classpath, or it without some libraries, for an application started in a child JVM: what a
 * build with those dependencies excluded would run on. Entries are matched by a piece of their path (a Maven repository directory such
 * as {@code /io/fabric8/}, or a reactor module's name).
 */
final class ChildClasspath {

	/** What excluding {@code io.fabric8:kubernetes-client} and {@code kubernetes-httpclient-jdk} from the starter removes. */
	static final List<String> FABRIC8 = List.of("/io/fabric8/", "/org/snakeyaml/snakeyaml-engine/",
			"/tools/jackson/dataformat/jackson-dataformat-yaml/");

	/** What excluding {@code io.etcd:jetcd-core} from the starter removes (see {@code dependency:tree}). */
	static final List<String> JETCD = List.of("/io/etcd/", "/io/vertx/", "/io/netty/", "/io/grpc/", "/io/perfmark/",
			"/com/google/protobuf/", "/com/google/api/grpc/", "/com/google/guava/", "/javax/annotation/javax.annotation-api/",
			"/dev/failsafe/", "/com/fasterxml/jackson/core/jackson-core/");

	private ChildClasspath() {
	}

	/** The application's runtime classpath (written by the build) with its test classes, which start it. */
	static String runtime() {
		try {
			String dependencies = Files.readString(Path.of("target/runtime-classpath.txt")).strip();
			return String.join(File.pathSeparator, "target/test-classes", "target/classes", dependencies);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("run the build's generate-test-resources phase first", ex);
		}
	}

	/** {@link #runtime()} without the entries matching any of the pieces. */
	static String without(List<String> pieces) {
		return Arrays.stream(runtime().split(File.pathSeparator))
			.filter((entry) -> pieces.stream().noneMatch(entry.replace(File.separatorChar, '/')::contains))
			.collect(Collectors.joining(File.pathSeparator));
	}

	static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}

package io.github.rpcdiscovery;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.rpcdiscovery.config.RpcProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependencies between this project's packages flow one way. Reads the compiled main classes: every name a class file
 * holds (referenced classes, field and method descriptors, generic signatures, annotations) is in its constant pool.
 */
class PackageDependencyTest {

	private static final String ROOT = "io/github/rpcdiscovery/";

	@Test
	void configDoesNotReachIntoTheBalancer() {
		assertThat(references("config", "balancer")).isEmpty();
	}

	@Test
	void statusDoesNotReachIntoTheLoadBalancer() {
		assertThat(references("status", "loadbalancer")).isEmpty();
	}

	@Test
	void grpcDoesNotReachIntoTheLoadBalancer() {
		assertThat(references("grpc", "loadbalancer")).isEmpty();
	}

	@Test
	void coreKnowsNoSourceAndNoSpringCloudAdapter() {
		assertThat(references("core", "etcd", "kubernetes", "direct", "loadbalancer", "cloud", "autoconfigure"))
			.isEmpty();
	}

	@Test
	void theCatalogIsNotTypedOnSpringCloud() {
		assertThat(externalReferences("core", "org/springframework/cloud")).isEmpty();
	}

	/**
	 * The references from the classes of {@code from} (and its subpackages) to any of the {@code to} packages (and
	 * theirs), as "class -> referenced name".
	 */
	static Set<String> references(String from, String... to) {
		return externalReferences(from, Stream.of(to).map((target) -> ROOT + target).toArray(String[]::new));
	}

	/**
	 * The references from the classes of {@code from} (and its subpackages) to any package named in full (e.g.
	 * {@code org/springframework/cloud}) or below it, as "class -> referenced name".
	 */
	static Set<String> externalReferences(String from, String... packages) {
		Set<String> found = new TreeSet<>();
		for (Path classFile : classFiles(from)) {
			String className = mainClasses().relativize(classFile).toString().replace(".class", "");
			for (String constant : constantPoolNames(classFile)) {
				for (String target : packages) {
					Matcher referenced = Pattern.compile(Pattern.quote(target) + "/[\\w/$]+").matcher(constant);
					while (referenced.find()) {
						found.add(className + " -> " + referenced.group());
					}
				}
			}
		}
		return found;
	}

	private static List<Path> classFiles(String packageName) {
		Path directory = mainClasses().resolve(ROOT + packageName);
		assertThat(directory).as("compiled package " + packageName).isDirectory();
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter((file) -> file.toString().endsWith(".class")).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Every UTF-8 constant of the class file (JVMS 4.4): class names, descriptors and signatures among them. */
	private static List<String> constantPoolNames(Path classFile) {
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(classFile)))) {
			in.skipNBytes(8); // magic, minor and major version
			int count = in.readUnsignedShort();
			List<String> names = new ArrayList<>();
			for (int index = 1; index < count; index++) {
				int tag = in.readUnsignedByte();
				switch (tag) {
					case 1 -> names.add(in.readUTF());
					case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
					case 15 -> in.skipNBytes(3);
					case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
					case 5, 6 -> {
						in.skipNBytes(8);
						index++; // a long or double takes two entries
					}
					default -> throw new IllegalStateException("unknown constant pool tag " + tag + " in " + classFile);
				}
			}
			return names;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The directory of the compiled main classes (not the tests'). */
	private static Path mainClasses() {
		try {
			return Path.of(RpcProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

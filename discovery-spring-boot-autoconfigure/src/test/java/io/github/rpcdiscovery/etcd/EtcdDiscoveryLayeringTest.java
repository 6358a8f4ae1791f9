package io.github.rpcdiscovery.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of etcd discovery depend on each other one way (docs/architecture.md): each uses only the parts before it
 * in {@link #BOTTOM_UP} and tells the later ones about changes through interfaces of its own. Read from the sources,
 * comments aside.
 */
class EtcdDiscoveryLayeringTest {

	private static final List<Class<?>> BOTTOM_UP = List.of(ClusterHealth.class, ClusterContext.class,
			ClusterLoads.class, PrefixMirror.class, ClusterMetadata.class, ServiceKeyWatcher.class,
			ClusterWatcher.class);

	private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

	private static final Path SOURCES = Path.of("src/main/java/io/github/rpcdiscovery/etcd");

	@Test
	void eachPartUsesOnlyThePartsBelowIt() throws IOException {
		for (int i = 0; i < BOTTOM_UP.size(); i++) {
			String code = COMMENTS.matcher(Files.readString(SOURCES.resolve(BOTTOM_UP.get(i).getSimpleName() + ".java")))
				.replaceAll("");
			for (Class<?> above : BOTTOM_UP.subList(i + 1, BOTTOM_UP.size())) {
				assertThat(Pattern.compile("\\b" + above.getSimpleName() + "\\b").matcher(code).find())
					.as("%s uses %s, which is above it", BOTTOM_UP.get(i).getSimpleName(), above.getSimpleName())
					.isFalse();
			}
		}
	}

}

package io.github.rpcdiscovery.etcd.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Tells whether this process runs in a container, and why it thinks so: Docker's {@code /.dockerenv}, Podman's
 * {@code /run/.containerenv}, a container runtime in {@code /proc/1/cgroup} (cgroup v1 paths such as
 * {@code /docker/<id>}, {@code /kubepods/...}), or Kubernetes' {@code KUBERNETES_SERVICE_HOST}. The file system and the
 * environment are injected, so the detection is tested without a container.
 */
final class ContainerDetector {

	private static final String[] RUNTIMES_IN_CGROUP = { "docker", "kubepods", "containerd", "libpod", "lxc",
			"crio" };

	private final Predicate<Path> exists;

	private final Function<Path, @Nullable String> read;

	private final Function<String, @Nullable String> env;

	ContainerDetector(Predicate<Path> exists, Function<Path, @Nullable String> read,
			Function<String, @Nullable String> env) {
		this.exists = exists;
		this.read = read;
		this.env = env;
	}

	/** Reads the real file system and environment. */
	static ContainerDetector system() {
		return new ContainerDetector(Files::exists, ContainerDetector::readQuietly, System::getenv);
	}

	/** Why this looks like a container (e.g. {@code /.dockerenv exists}), or {@code null} if it does not. */
	@Nullable String evidence() {
		String kubernetes = this.env.apply("KUBERNETES_SERVICE_HOST");
		if (kubernetes != null && !kubernetes.isBlank()) {
			return "KUBERNETES_SERVICE_HOST is set";
		}
		for (String marker : new String[] { "/.dockerenv", "/run/.containerenv" }) {
			if (this.exists.test(Path.of(marker))) {
				return marker + " exists";
			}
		}
		String cgroup = this.read.apply(Path.of("/proc/1/cgroup"));
		if (cgroup != null) {
			String lower = cgroup.toLowerCase(Locale.ROOT);
			for (String runtime : RUNTIMES_IN_CGROUP) {
				if (lower.contains("/" + runtime) || lower.contains(runtime + "-")) {
					return "/proc/1/cgroup names " + runtime;
				}
			}
		}
		return null;
	}

	private static @Nullable String readQuietly(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}

package io.github.rpcdiscovery.test.etcd;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the {@code etcd} and {@code etcdctl} binaries: {@code $ETCD_BIN} / {@code $ETCDCTL_BIN}, then the PATH, then
 * {@code /usr/bin}. A missing binary fails the test with the command that installs it: a skip would hide the gap.
 */
public final class EtcdBinary {

	static final String INSTALL_HINT = "install it with: sudo apt-get install -y etcd-server etcd-client"
			+ " (Debian/Ubuntu; tested with etcd 3.4.23), or point $ETCD_BIN and $ETCDCTL_BIN at the binaries";

	private EtcdBinary() {
	}

	public static Path etcd() {
		return find("etcd", "ETCD_BIN");
	}

	public static Path etcdctl() {
		return find("etcdctl", "ETCDCTL_BIN");
	}

	static Path find(String name, String variable) {
		String explicit = System.getenv(variable);
		if (explicit != null && Files.isExecutable(Path.of(explicit))) {
			return Path.of(explicit);
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(java.io.File.pathSeparator)) {
				Path candidate = Path.of(dir, name);
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		Path usrBin = Path.of("/usr/bin", name);
		if (Files.isExecutable(usrBin)) {
			return usrBin;
		}
		throw new AssertionError("The '" + name + "' binary is needed by this test and was not found; " + INSTALL_HINT);
	}

}

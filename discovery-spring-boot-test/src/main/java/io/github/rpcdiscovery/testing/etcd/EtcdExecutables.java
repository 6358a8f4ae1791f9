package io.github.rpcdiscovery.testing.etcd;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the {@code etcd} and {@code etcdctl} binaries: {@code $ETCD_BIN} / {@code $ETCDCTL_BIN}, then the PATH, then
 * {@code /usr/bin}. A missing binary fails the test with the command that installs it: a skip would hide that the
 * test never ran.
 */
public final class EtcdExecutables {

	/** What a missing binary's failure tells the user to do. */
	public static final String INSTALL_HINT = "install it with: sudo apt-get install -y etcd-server etcd-client"
			+ " (Debian/Ubuntu; tested with etcd 3.4.23), or point $ETCD_BIN and $ETCDCTL_BIN at the binaries";

	private EtcdExecutables() {
	}

	/** The etcd server binary. */
	public static Path etcd() {
		return find("etcd", "ETCD_BIN");
	}

	/** The etcdctl client binary. */
	public static Path etcdctl() {
		return find("etcdctl", "ETCDCTL_BIN");
	}

	/**
	 * @param name the binary's file name
	 * @param variable the environment variable that may name the binary's path
	 * @throws AssertionError naming the install command when the binary is nowhere
	 */
	public static Path find(String name, String variable) {
		String explicit = System.getenv(variable);
		if (explicit != null && Files.isExecutable(Path.of(explicit))) {
			return Path.of(explicit);
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
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

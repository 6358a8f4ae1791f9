package io.github.rpcdiscovery.test.etcd;

import java.nio.file.Path;

import io.github.rpcdiscovery.testing.etcd.EtcdExecutables;

/**
 * The {@code etcd} and {@code etcdctl} binaries, found as {@code @EmbeddedEtcd} finds them ({@link EtcdExecutables}):
 * a missing binary fails the test with the command that installs it.
 */
public final class EtcdBinary {

	private EtcdBinary() {
	}

	public static Path etcd() {
		return EtcdExecutables.etcd();
	}

	public static Path etcdctl() {
		return EtcdExecutables.etcdctl();
	}

	static Path find(String name, String variable) {
		return EtcdExecutables.find(name, variable);
	}

}

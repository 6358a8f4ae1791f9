package io.github.rpcdiscovery.test.etcd;

/** Test access to the binary lookup with a name that does not exist. */
public final class EtcdBinaryProbe {

	private EtcdBinaryProbe() {
	}

	public static void find(String name) {
		EtcdBinary.find(name, "RPC_DISCOVERY_NO_SUCH_VARIABLE");
	}

}

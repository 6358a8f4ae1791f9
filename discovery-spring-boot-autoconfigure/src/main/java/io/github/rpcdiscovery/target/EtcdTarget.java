package io.github.rpcdiscovery.target;

/**
 * Instances registered in etcd under {@code <key>/}: go-zero's {@code Etcd} block or {@code etcd:///h1,h2?key=K}.
 *
 * @param cluster the etcd cluster
 * @param key the service key; instances live under {@code key + "/"}
 */
public record EtcdTarget(EtcdCluster cluster, String key) implements RpcTarget {

	@Override
	public String source() {
		return "etcd";
	}

	@Override
	public String impliedServiceId() {
		return this.key;
	}

	/** The prefix go-zero reads, with the slash, so {@code user.rpc} never matches {@code user.rpc2/...}. */
	public String prefix() {
		return this.key + "/";
	}

}

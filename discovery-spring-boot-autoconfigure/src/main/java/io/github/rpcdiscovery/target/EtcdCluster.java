package io.github.rpcdiscovery.target;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How to reach one etcd cluster: endpoints, account and TLS. Equal specs share one etcd client, as in go-zero, where
 * account and TLS are kept per cluster (sorted host list).
 *
 * @param hosts {@code host:port} endpoints, sorted
 * @param user user name, or {@code null}
 * @param password password, or {@code null}; never printed
 * @param certFile client certificate (PEM) for mutual TLS
 * @param certKeyFile client private key (PEM) for mutual TLS
 * @param caCertFile CA certificate (PEM) to trust; enables TLS
 * @param insecureSkipVerify skip verification of the server certificate
 */
public record EtcdCluster(List<String> hosts, @Nullable String user, @Nullable String password,
		@Nullable String certFile, @Nullable String certKeyFile, @Nullable String caCertFile,
		boolean insecureSkipVerify) {

	public EtcdCluster {
		hosts = hosts.stream().map(String::strip).sorted().distinct().toList();
	}

	public static EtcdCluster of(List<String> hosts) {
		return new EtcdCluster(hosts, null, null, null, null, null, false);
	}

	public boolean hasCredentials() {
		return this.user != null && !this.user.isEmpty();
	}

	public boolean usesTls() {
		return this.caCertFile != null || this.certFile != null || this.insecureSkipVerify;
	}

	/** Never shows the password. */
	@Override
	public String toString() {
		return "etcd" + this.hosts + (hasCredentials() ? " as " + this.user : "") + (usesTls() ? " over TLS" : "");
	}

}

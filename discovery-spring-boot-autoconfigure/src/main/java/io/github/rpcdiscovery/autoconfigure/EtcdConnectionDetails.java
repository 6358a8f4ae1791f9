package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where this application's etcd is: the cluster it registers in, and in which every service id that no {@code rpc.*}
 * block names is looked up (HTTP, {@code discovery:///} and {@code etcd:///?key=} gRPC targets alike). By default
 * built from {@code rpc.etcd.*}; a bean of this type replaces those settings (key, id, TTL and request timeout still
 * come from {@code rpc.etcd.*}). Testcontainers' {@code @ServiceConnection} and Docker Compose provide one.
 */
public interface EtcdConnectionDetails extends ConnectionDetails {

	/** The endpoints as {@code host:port}, as {@code rpc.etcd.hosts} lists them. */
	List<String> getHosts();

	/** The etcd user, or {@code null} without authentication. */
	default @Nullable String getUser() {
		return null;
	}

	/** The etcd password, or {@code null}. */
	default @Nullable String getPassword() {
		return null;
	}

	/** How to reach etcd over TLS, or {@code null} for plain text. */
	default @Nullable Tls getTls() {
		return null;
	}

	/**
	 * TLS material, as {@code rpc.etcd.*} names it: PEM files on this machine.
	 *
	 * @param caCertFile CA certificate that signed etcd's server certificate, or {@code null}
	 * @param certFile client certificate for mutual TLS, or {@code null}
	 * @param certKeyFile private key (PKCS#8) of the client certificate, or {@code null}
	 * @param insecureSkipVerify whether etcd's server certificate is not verified
	 */
	record Tls(@Nullable String caCertFile, @Nullable String certFile, @Nullable String certKeyFile,
			boolean insecureSkipVerify) {

		/** TLS that trusts the given CA, without a client certificate. */
		public static Tls trusting(String caCertFile) {
			return new Tls(caCertFile, null, null, false);
		}

	}

}

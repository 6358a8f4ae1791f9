package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import io.github.rpcdiscovery.config.EtcdProperties;
import org.jspecify.annotations.Nullable;

/** The default {@link EtcdConnectionDetails}: {@code rpc.etcd.*}. */
final class PropertiesEtcdConnectionDetails implements EtcdConnectionDetails {

	private final EtcdProperties etcd;

	PropertiesEtcdConnectionDetails(EtcdProperties etcd) {
		this.etcd = etcd;
	}

	@Override
	public List<String> getHosts() {
		return this.etcd.hosts();
	}

	@Override
	public @Nullable String getUser() {
		return this.etcd.user();
	}

	@Override
	public @Nullable String getPassword() {
		return this.etcd.pass();
	}

	@Override
	public @Nullable Tls getTls() {
		boolean any = this.etcd.caCertFile() != null || this.etcd.certFile() != null
				|| this.etcd.certKeyFile() != null || this.etcd.insecureSkipVerify();
		return any ? new Tls(this.etcd.caCertFile(), this.etcd.certFile(), this.etcd.certKeyFile(),
				this.etcd.insecureSkipVerify()) : null;
	}

	/** Never shows the password. */
	@Override
	public String toString() {
		return "rpc.etcd" + this.etcd.hosts();
	}

}

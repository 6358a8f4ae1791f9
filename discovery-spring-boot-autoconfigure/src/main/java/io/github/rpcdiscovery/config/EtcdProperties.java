package io.github.rpcdiscovery.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * go-zero's Etcd block.
 *
 * @param hosts Etcd endpoints as host:port (go-zero: Etcd.Hosts).
 * @param key At the top level (go-zero: Etcd.Key), the key this application registers under (default:
 * spring.application.name); in a client block, the key of the service to call.
 * @param id A fixed key suffix when greater than 0; otherwise the lease id is the suffix (go-zero: Etcd.ID).
 * @param user Etcd user name (go-zero: Etcd.User).
 * @param pass Etcd password (go-zero: Etcd.Pass). Never logged.
 * @param certFile Client certificate (PEM) for mutual TLS; needs cert-key-file (go-zero: Etcd.CertFile).
 * @param certKeyFile Private key (PEM) of the client certificate (go-zero: Etcd.CertKeyFile).
 * @param caCertFile CA certificate (PEM) that signed etcd's server certificate (go-zero: Etcd.CACertFile);
 * enables TLS.
 * @param insecureSkipVerify Do not verify etcd's server certificate (go-zero: Etcd.InsecureSkipVerify).
 * @param ttl Lease TTL of the registration; at least 2s (etcd's minimum). A bare number is seconds.
 * @param requestTimeout Deadline of every single etcd request (read, write, lease grant or revoke; not the watch and
 * keep-alive streams). A request that etcd, down or unreachable, does not answer in time fails and is dropped instead
 * of waiting for the connection. Default: go-zero's 3s, or a third of rpc.etcd.ttl when that is shorter. Only the
 * top-level rpc.etcd block sets it. Write the unit: a bare number is milliseconds (5 is 5ms, not 5s). At least 100ms
 * and below half of rpc.etcd.ttl (a lease grant then a key write that take longer could outlive the lease).
 */
public record EtcdProperties(@DefaultValue List<String> hosts, @Nullable String key, long id, @Nullable String user,
		@Nullable String pass, @Nullable String certFile, @Nullable String certKeyFile, @Nullable String caCertFile,
		boolean insecureSkipVerify, @DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration ttl,
		@Nullable Duration requestTimeout) {

	public EtcdProperties {
		hosts = (hosts != null) ? List.copyOf(hosts) : List.of();
		ttl = (ttl != null) ? ttl : Duration.ofSeconds(10);
		// blank is unset: a test's own etcd blanks the account and TLS that application.yml sets for the real one
		user = nullIfBlank(user);
		pass = nullIfBlank(pass);
		certFile = nullIfBlank(certFile);
		certKeyFile = nullIfBlank(certKeyFile);
		caCertFile = nullIfBlank(caCertFile);
	}

	private static @Nullable String nullIfBlank(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	public static EtcdProperties empty() {
		return new EtcdProperties(List.of(), null, 0, null, null, null, null, null, false, Duration.ofSeconds(10),
				Duration.ofSeconds(3));
	}

	/** Whether anything that points at etcd was set (hosts or key). */
	public boolean isConfigured() {
		return !this.hosts.isEmpty() || (this.key != null && !this.key.isBlank());
	}

	/** Never shows the password. */
	@Override
	public String toString() {
		return "EtcdProperties[hosts=" + this.hosts + ", key=" + this.key + ", id=" + this.id + ", user=" + this.user
				+ ", pass=" + ((this.pass != null) ? "******" : null) + ", certFile=" + this.certFile
				+ ", certKeyFile=" + this.certKeyFile + ", caCertFile=" + this.caCertFile + ", insecureSkipVerify="
				+ this.insecureSkipVerify + ", ttl=" + this.ttl + ", requestTimeout=" + this.requestTimeout + "]";
	}

}

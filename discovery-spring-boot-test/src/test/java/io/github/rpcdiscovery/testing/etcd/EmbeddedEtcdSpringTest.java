package io.github.rpcdiscovery.testing.etcd;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a Spring test, {@code rpc.etcd.hosts} is the embedded etcd, even over the test's own properties, and the
 * account and TLS settings meant for another etcd (in kebab case or go-zero's capitalised keys) are blank.
 */
@SpringJUnitConfig(EmbeddedEtcdSpringTest.Empty.class)
@TestPropertySource(properties = { "rpc.etcd.hosts=127.0.0.1:1", "Rpc.Etcd.User=svc", "rpc.etcd.pass=secret",
		"Rpc.Etcd.CACertFile=/tls/ca.pem", "rpc.etcd.cert-file=/tls/client.pem",
		"Rpc.Etcd.CertKeyFile=/tls/client-key.pem", "Rpc.Etcd.InsecureSkipVerify=true" })
@EmbeddedEtcd
class EmbeddedEtcdSpringTest {

	@Autowired
	Environment environment;

	@Test
	void rpcEtcdHostsIsTheEmbeddedEtcd(EmbeddedEtcdServer etcd) {
		assertThat(this.environment.getProperty("rpc.etcd.hosts")).isEqualTo(etcd.hostAndPort());
		assertThat(etcd.isRunning()).isTrue();
	}

	@Test
	void theApplicationsEtcdAccountAndTlsAreBlankForThePlainEmbeddedEtcd() {
		Binder binder = Binder.get(this.environment);
		for (String key : new String[] { "user", "pass", "ca-cert-file", "cert-file", "cert-key-file" }) {
			assertThat(binder.bind("rpc.etcd." + key, String.class).orElse("")).as(key).isEmpty();
		}
		assertThat(binder.bind("rpc.etcd.insecure-skip-verify", Boolean.class).orElse(false)).isFalse();
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}

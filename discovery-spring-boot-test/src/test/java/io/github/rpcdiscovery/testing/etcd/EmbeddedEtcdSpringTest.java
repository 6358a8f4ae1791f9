package io.github.rpcdiscovery.testing.etcd;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/** In a Spring test, {@code rpc.etcd.hosts} is the embedded etcd, even over the test's own properties. */
@SpringJUnitConfig(EmbeddedEtcdSpringTest.Empty.class)
@TestPropertySource(properties = "rpc.etcd.hosts=127.0.0.1:1")
@EmbeddedEtcd
class EmbeddedEtcdSpringTest {

	@Autowired
	Environment environment;

	@Test
	void rpcEtcdHostsIsTheEmbeddedEtcd(EmbeddedEtcdServer etcd) {
		assertThat(this.environment.getProperty("rpc.etcd.hosts")).isEqualTo(etcd.hostAndPort());
		assertThat(etcd.isRunning()).isTrue();
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}

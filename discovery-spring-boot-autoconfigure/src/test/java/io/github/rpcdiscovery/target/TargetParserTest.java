package io.github.rpcdiscovery.target;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TargetParserTest {

	@Test
	void kubernetesWithNamespaceServiceAndPort() {
		assertThat(TargetParser.parse("k8s://mynamespace/myservice:3456"))
			.isEqualTo(new KubernetesTarget("mynamespace", "myservice", 3456));
	}

	@Test
	void kubernetesEmptyNamespaceIsDefaultAndPortIsOptional() {
		assertThat(TargetParser.parse("k8s:///myservice")).isEqualTo(new KubernetesTarget("default", "myservice", null));
	}

	@Test
	void etcdCurrentFormWithSeveralHostsAndEncodedKey() {
		EtcdTarget target = (EtcdTarget) TargetParser.parse("etcd:///127.0.0.1:2379,127.0.0.2:2379?key=user%2Erpc");
		assertThat(target.cluster().hosts()).containsExactly("127.0.0.1:2379", "127.0.0.2:2379");
		assertThat(target.key()).isEqualTo("user.rpc");
		assertThat(target.prefix()).isEqualTo("user.rpc/");
	}

	@Test
	void etcdLegacyAndDiscovForms() {
		EtcdTarget legacy = (EtcdTarget) TargetParser.parse("etcd://127.0.0.1:2379/user.rpc");
		EtcdTarget discov = (EtcdTarget) TargetParser.parse("discov://127.0.0.2:2379,127.0.0.1:2379/user.rpc");
		assertThat(legacy.key()).isEqualTo("user.rpc");
		assertThat(legacy.cluster().hosts()).containsExactly("127.0.0.1:2379");
		assertThat(discov.cluster().hosts()).containsExactly("127.0.0.1:2379", "127.0.0.2:2379");
	}

	@Test
	void etcdWithoutHostsLeavesThemToTheDefaultCluster() {
		EtcdTarget target = (EtcdTarget) TargetParser.parse("etcd:///?key=user.rpc");
		assertThat(target.cluster().hosts()).isEmpty();
	}

	@Test
	void direct() {
		assertThat(TargetParser.parse("direct:///127.0.0.1:8081,127.0.0.2:8082")).isEqualTo(new DirectTarget(
				List.of(new HostAndPort("127.0.0.1", 8081), new HostAndPort("127.0.0.2", 8082))));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "k8s://|names no service", "k8s://ns/|names no service",
			"k8s://ns/:8080|names no service", "k8s://ns/svc:http|not a number", "k8s://ns/svc:http|port-name: http",
			"k8s://ns/svc:99999|out of range", "k8s://ns/svc:|has no port", "consul://x/y|scheme 'consul' is not supported",
			"dns:///user:8080|use rpc.endpoints", "user.rpc|has no scheme", "etcd://127.0.0.1:2379|names no key",
			"etcd:///127.0.0.1?key=a|has no port", "direct:///|lists no endpoints",
			"direct:///127.0.0.1:1,,127.0.0.1:2|empty entry", "direct:///127.0.0.1|has no port" })
	void rejectsWithAMessageThatSaysWhy(String target, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> TargetParser.parse(target))
			.withMessageContaining(message);
	}

}

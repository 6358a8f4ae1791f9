package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod IP in a range that is also a container runtime's default bridge (172.17.0.0/16 is an ordinary pod range in
 * many clusters) is registered as given, in a real etcd, by an application that knows it runs in a container. Only
 * the test's own etcdctl reads the registration: nothing here opens a socket to that address.
 */
class PodIpRegistrationTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	@Test
	void aPodIpInADockerBridgeRangeIsRegisteredInAKubernetesContainer() {
		etcd.process().etcdctl().run("del", "", "--from-key");
		ContainerDetector inKubernetes = new ContainerDetector((path) -> false,
				(path) -> "0::/kubepods/burstable/pod42\n", Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.9")::get);
		EtcdServiceRegistry registry = new EtcdServiceRegistry(new EtcdConnections(),
				io.github.rpcdiscovery.target.EtcdCluster.of(List.of(etcd.hostAndPort())), true);
		EtcdRegistration registration = new EtcdRegistration("orders.rpc", 0, Duration.ofSeconds(10), Map.of(), null);
		EtcdAutoRegistration auto = new EtcdAutoRegistration(registry, registration,
				new RegistrationAddressResolver(":8080", () -> "172.17.0.5", () -> "127.0.0.1"),
				new ContainerAddressCheck(inKubernetes));
		try {
			auto.register();
			Map<String, String> instances = new EtcdState(etcd.process().etcdctl()).entries("orders.rpc/");
			assertThat(instances).hasSize(1).containsValue("172.17.0.5:8080");
		}
		finally {
			auto.deregister();
			registry.close();
		}
		assertThat(new EtcdState(etcd.process().etcdctl()).entries("orders.rpc/")).isEmpty();
	}

}

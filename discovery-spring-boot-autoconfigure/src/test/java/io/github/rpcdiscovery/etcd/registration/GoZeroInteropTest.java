package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our registrations, read with go-zero's rules (a prefix read of {@code <key>/} with the slash, values taken as
 * {@code host:port} and de-duplicated, suffixes ignored), are exactly what a go-zero client expects, side by side with
 * an entry written exactly as a go-zero server writes it. The suffix is the decimal of a lease etcdctl lists in hex,
 * or the fixed id.
 */
class GoZeroInteropTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	@Test
	void ourEntriesAreWhatAGoZeroClientReads() {
		EtcdCtl etcdctl = etcd.process().etcdctl();
		// a go-zero server, reproduced with etcdctl: grant 10, put <key>/<decimal lease> host:port on the lease
		long goZeroLease = etcdctl.grantLease(10);
		etcdctl.put("user.rpc/" + goZeroLease, "127.0.0.5:8080", goZeroLease);

		try (EtcdConnections connections = new EtcdConnections()) {
			EtcdServiceRegistry registry = new EtcdServiceRegistry(connections,
					EtcdCluster.of(List.of(etcd.hostAndPort())), false);
			EtcdRegistration ours = registration("user.rpc", 0, "127.0.0.41");
			EtcdRegistration fixed = registration("user.rpc", 7, "127.0.0.43");
			EtcdRegistration neighbour = registration("user.rpc2", 0, "127.0.0.42");
			registry.register(ours);
			registry.register(fixed);
			registry.register(neighbour);

			assertThat(goZeroRead(etcdctl, "user.rpc")).containsExactlyInAnyOrder(
					new HostAndPort("127.0.0.5", 8080), new HostAndPort("127.0.0.41", 8080),
					new HostAndPort("127.0.0.43", 8080));
			assertThat(goZeroRead(etcdctl, "user.rpc2")).containsExactly(new HostAndPort("127.0.0.42", 8080));

			EtcdState state = new EtcdState(etcdctl);
			List<String> leases = state.leasesHex();
			long ourLease = registry.currentLeaseId(ours).orElseThrow();
			assertThat(registry.currentKey(ours)).contains("user.rpc/" + ourLease);
			assertThat(leases).contains(ActiveLease.hex(ourLease), ActiveLease.hex(goZeroLease));
			assertThat(registry.currentKey(fixed)).contains("user.rpc/7");
			assertThat(state.leaseOf("user.rpc/7")).isEqualTo(registry.currentLeaseId(fixed).orElseThrow());
			// metadata lives outside every service prefix, so go-zero never reads it
			assertThat(state.entries("_rpc-meta/").keySet()).allMatch((key) -> key.startsWith("_rpc-meta/user.rpc"));
			registry.close();
		}
		assertThat(goZeroRead(etcdctl, "user.rpc")).containsExactly(new HostAndPort("127.0.0.5", 8080));
	}

	private static EtcdRegistration registration(String key, long id, String host) {
		return new EtcdRegistration(key, id, Duration.ofSeconds(10), Map.of("scheme", "http"),
				new HostAndPort(host, 8080));
	}

	/** go-zero's client: prefix read of key + "/", every value must be host:port, de-duplicated by value. */
	private static Set<HostAndPort> goZeroRead(EtcdCtl etcdctl, String key) {
		Set<HostAndPort> endpoints = new LinkedHashSet<>();
		new EtcdState(etcdctl).entries(key + "/").forEach((k, value) -> endpoints.add(HostAndPort.parse(value)));
		return endpoints;
	}

}

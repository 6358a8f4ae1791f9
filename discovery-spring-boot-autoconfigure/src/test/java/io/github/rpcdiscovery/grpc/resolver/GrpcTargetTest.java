package io.github.rpcdiscovery.grpc.resolver;

import java.util.List;

import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GrpcTargetTest {

	private static final EtcdCluster DEFAULT_ETCD = EtcdCluster.of(List.of("127.0.0.1:2379"));

	private static final Upstream ORDERS = new Upstream("orders",
			new DirectTarget(List.of(new HostAndPort("127.0.0.1", 9001))), "rpc.clients[0]");

	private final DiscoveryPlan plan = new DiscoveryPlan(List.of(ORDERS), DEFAULT_ETCD, null);

	private final DiscoveryPlan planWithoutDefault = new DiscoveryPlan(List.of(ORDERS), null, null);

	/** Every accepted form: target | service id | source | authority | etcd hosts or k8s namespace/service:port. */
	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"etcd:///127.0.0.1:2379,127.0.0.2:2379?key=user.rpc | etcd:///127.0.0.1:2379,127.0.0.2:2379?key=user.rpc | etcd | user.rpc | 127.0.0.1:2379,127.0.0.2:2379",
			"etcd:///127.0.0.1:2379?key=user.rpc | user.rpc | etcd | user.rpc | 127.0.0.1:2379",
			"discov:///?key=user.rpc | user.rpc | etcd | user.rpc | 127.0.0.1:2379",
			"etcd:///?key=user.rpc | user.rpc | etcd | user.rpc | 127.0.0.1:2379",
			"discov:///127.0.0.2:2379?key=pay.rpc | discov:///127.0.0.2:2379?key=pay.rpc | etcd | pay.rpc | 127.0.0.2:2379",
			"etcd://127.0.0.2:2379/pay.rpc | etcd://127.0.0.2:2379/pay.rpc | etcd | pay.rpc | 127.0.0.2:2379",
			"direct:///127.0.0.1:9001 | orders | direct | 127.0.0.1:9001 | ",
			"direct:///127.0.0.1:9001,127.0.0.2:9002 | direct:///127.0.0.1:9001,127.0.0.2:9002 | direct | 127.0.0.1:9001 | ",
			"k8s://shop/cart:8080 | k8s://shop/cart:8080 | kubernetes | cart | shop/cart:8080",
			"k8s:///cart | k8s:///cart | kubernetes | cart | default/cart:null",
			"discovery:///orders | orders | direct | orders | ",
			"discovery:///user.rpc | user.rpc | etcd | user.rpc | 127.0.0.1:2379",
			"DISCOVERY:///orders | orders | direct | orders | " })
	void acceptsEveryGoZeroForm(String text, String serviceId, String source, String authority, String where) {
		GrpcTarget target = GrpcTarget.parse(text, this.plan);
		assertThat(target.serviceId()).isEqualTo(serviceId);
		assertThat(target.source()).isEqualTo(source);
		assertThat(target.authority()).isEqualTo(authority);
		if (target.upstream().target() instanceof EtcdTarget etcd) {
			assertThat(String.join(",", etcd.cluster().hosts())).isEqualTo(where);
		}
		if (target.upstream().target() instanceof KubernetesTarget k8s) {
			assertThat(k8s.namespace() + "/" + k8s.service() + ":" + k8s.port()).isEqualTo(where);
		}
	}

	@Test
	void anEtcdTargetOfTheDefaultClusterSharesTheServiceIdAndSoTheWatch() {
		GrpcTarget viaGoZero = GrpcTarget.parse("etcd:///127.0.0.1:2379?key=user.rpc", this.plan);
		GrpcTarget viaDiscovery = GrpcTarget.parse("discovery:///user.rpc", this.plan);
		assertThat(viaGoZero.upstream()).isEqualTo(viaDiscovery.upstream());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"etcd://127.0.0.1:2379,127.0.0.2:2379/user.rpc | legacy form with several etcd hosts in the authority, which grpc-java 1.83+ rejects",
			"etcd://127.0.0.1:2379,127.0.0.2:2379/user.rpc | write etcd:///127.0.0.1:2379,127.0.0.2:2379?key=user.rpc",
			"discov://127.0.0.1:2379,127.0.0.2:2379/user.rpc | write discov:///127.0.0.1:2379,127.0.0.2:2379?key=user.rpc",
			"etcd://127.0.0.1:2379,127.0.0.2:2379 | ?key=<key>",
			"discovery://orders | write discovery:///orders",
			"discovery:/// | is not a service id",
			"discovery:///a/b | is not a service id",
			"discovery:orders | three slashes",
			"dns:///127.0.0.1:9000 | is not a target of discovery, etcd, discov, direct, k8s",
			"127.0.0.1:9000 | is not a target of",
			"etcd:///127.0.0.1:2379 | write etcd:///127.0.0.1:2379?key=<key>",
			"etcd:///user.rpc | etcd:///?key=user.rpc for rpc.etcd's hosts, or discovery:///<service-id>",
			"etcd://127.0.0.1:2379 | names no key",
			"etcd:///127.0.0.1?key=a | has no port",
			"direct:/// | lists no endpoints",
			"direct:///127.0.0.1:1,,127.0.0.1:2 | empty entry",
			"k8s://ns/ | names no service",
			"k8s://ns/svc:http | port-name: http" })
	void rejectsWithAMessageThatSaysHowToWriteIt(String text, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> GrpcTarget.parse(text, this.plan))
			.withMessageContaining(message);
	}

	@Test
	void etcdWithoutHostsAndWithoutRpcEtcdIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> GrpcTarget.parse("discov:///?key=user.rpc",
				this.planWithoutDefault))
			.withMessageContaining("rpc.etcd.hosts");
	}

	@Test
	void aServiceIdThatResolvesNowhereIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> GrpcTarget.parse("discovery:///user.rpc", this.planWithoutDefault))
			.withMessageContaining("service id 'user.rpc' resolves nowhere");
	}

	@Test
	void recognisesItsSchemes() {
		assertThat(GrpcTarget.isResolvedHere("discovery:///x")).isTrue();
		assertThat(GrpcTarget.isResolvedHere("k8s://ns/svc:1")).isTrue();
		assertThat(GrpcTarget.isResolvedHere("dns:///localhost:1")).isFalse();
		assertThat(GrpcTarget.isResolvedHere("127.0.0.1:9000")).isFalse();
		assertThat(GrpcTarget.isResolvedHere("orders")).isFalse();
	}

}

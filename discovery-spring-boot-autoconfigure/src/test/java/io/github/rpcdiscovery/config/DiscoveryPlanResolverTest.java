package io.github.rpcdiscovery.config;

import java.util.Map;

import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class DiscoveryPlanResolverTest {

	static RpcProperties bind(String... pairs) {
		Map<String, String> map = new java.util.LinkedHashMap<>();
		for (String pair : pairs) {
			int eq = pair.indexOf('=');
			map.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
		return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("rpc", RpcProperties.class);
	}

	static DiscoveryPlan plan(String... pairs) {
		return DiscoveryPlanResolver.resolve(bind(pairs));
	}

	@Test
	void nothingConfiguredResolvesNothing() {
		DiscoveryPlan plan = plan();
		assertThat(plan.configured()).isEmpty();
		assertThat(plan.upstreamFor("user.rpc")).isEmpty();
	}

	@Test
	void clientBlocksAnswerToTheirNames() {
		DiscoveryPlan plan = plan("rpc.clients[0].name=user.rpc", "rpc.clients[0].endpoints=127.0.0.1:8081,127.0.0.2:8082",
				"rpc.clients[1].name=order", "rpc.clients[1].target=k8s://shop/order-svc:9000");
		assertThat(plan.configured()).extracting(Upstream::serviceId).containsExactly("user.rpc", "order");
		assertThat(plan.upstreamFor("user.rpc").get().target()).isInstanceOf(DirectTarget.class);
		assertThat(plan.upstreamFor("order").get().target()).isEqualTo(new KubernetesTarget("shop", "order-svc", 9000));
	}

	@Test
	void aClientBlockWithoutNameAnswersToItsKeyOrService() {
		DiscoveryPlan plan = plan("rpc.clients[0].etcd.hosts=127.0.0.1:2379", "rpc.clients[0].etcd.key=user.rpc",
				"rpc.clients[1].target=k8s://shop/order-svc:9000");
		assertThat(plan.configured()).extracting(Upstream::serviceId).containsExactly("user.rpc", "order-svc");
	}

	@Test
	void topLevelTargetAnswersToTheServiceItNamesOrToRpcName() {
		assertThat(plan("rpc.target=k8s://ns/user-svc:8080").configured()).extracting(Upstream::serviceId)
			.containsExactly("user-svc");
		assertThat(plan("rpc.target=etcd:///127.0.0.1:2379?key=user.rpc").configured()).extracting(Upstream::serviceId)
			.containsExactly("user.rpc");
		assertThat(plan("rpc.name=users", "rpc.endpoints=127.0.0.1:8080").configured()).extracting(Upstream::serviceId)
			.containsExactly("users");
	}

	@Test
	void topLevelKubernetesTargetTurnsKubernetesModeOnForOtherIds() {
		DiscoveryPlan plan = plan("rpc.target=k8s://shop/user-svc:8080");
		assertThat(plan.upstreamFor("billing").get().target()).isEqualTo(new KubernetesTarget("shop", "billing", null));
	}

	@Test
	void anyServiceIdResolvesInTheDefaultEtcdCluster() {
		DiscoveryPlan plan = plan("rpc.etcd.hosts=127.0.0.1:2379");
		EtcdTarget target = (EtcdTarget) plan.upstreamFor("user.rpc").get().target();
		assertThat(target.key()).isEqualTo("user.rpc");
		assertThat(target.cluster().hosts()).containsExactly("127.0.0.1:2379");
	}

	@Test
	void aBlockOnTheSameClusterSharesItsAccountAndTls() {
		DiscoveryPlan plan = plan("rpc.etcd.hosts=127.0.0.1:2379", "rpc.etcd.user=svc", "rpc.etcd.pass=secret",
				"rpc.clients[0].etcd.key=user.rpc", "rpc.clients[1].target=etcd:///127.0.0.1:2379?key=order.rpc");
		assertThat(((EtcdTarget) plan.upstreamFor("user.rpc").get().target()).cluster().user()).isEqualTo("svc");
		assertThat(((EtcdTarget) plan.upstreamFor("order.rpc").get().target()).cluster().user()).isEqualTo("svc");
	}

	@Test
	void clusterDescriptionsNeverShowThePassword() {
		DiscoveryPlan plan = plan("rpc.etcd.hosts=127.0.0.1:2379", "rpc.etcd.user=svc", "rpc.etcd.pass=s3cr3t");
		assertThat(plan.defaultEtcd().toString()).contains("svc").doesNotContain("s3cr3t");
		assertThat(bind("rpc.etcd.pass=s3cr3t").etcd().toString()).doesNotContain("s3cr3t");
	}

	@Test
	void goZeroPrecedenceInAClientBlockWithOneWarning(CapturedOutput output) {
		DiscoveryPlan plan = plan("rpc.clients[0].name=user.rpc", "rpc.clients[0].endpoints=127.0.0.1:8080",
				"rpc.clients[0].target=k8s://ns/user:8080", "rpc.clients[0].etcd.hosts=127.0.0.1:2379",
				"rpc.clients[0].etcd.key=user.rpc", "rpc.clients[1].name=order",
				"rpc.clients[1].target=direct:///127.0.0.1:9000", "rpc.clients[1].etcd.hosts=127.0.0.1:2379",
				"rpc.clients[1].etcd.key=order.rpc");
		assertThat(plan.upstreamFor("user.rpc").get().target()).isInstanceOf(DirectTarget.class);
		assertThat(plan.upstreamFor("order").get().target()).isInstanceOf(DirectTarget.class);
		assertThat(output).containsOnlyOnce("rpc.clients[0] sets endpoints, target, etcd")
			.contains("uses rpc.clients[0].endpoints")
			.containsOnlyOnce("rpc.clients[1] sets target, etcd")
			.contains("uses rpc.clients[1].target");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "rpc.etcd.hosts=127.0.0.1:2379", "rpc.etcd.request-timeout=100ms",
			"rpc.etcd.request-timeout=4999ms", "rpc.etcd.ttl=30s;rpc.etcd.request-timeout=10s" })
	void aRequestTimeoutFromAFewHundredMillisecondsToBelowHalfTheTtlIsAccepted(String pairs) {
		assertThat(plan(pairs.split(";"))).isNotNull();
	}

	@Test
	void theDefaultRequestTimeoutIsGoZeros3sOrAThirdOfAShorterTtl() {
		assertThat(DiscoveryPlanResolver.requestTimeout(bind().etcd())).hasSeconds(3);
		assertThat(plan("rpc.etcd.hosts=127.0.0.1:2379")).isNotNull();
		// a short TTL alone never fails the startup: the default follows it
		assertThat(DiscoveryPlanResolver.requestTimeout(bind("rpc.etcd.ttl=3s").etcd())).hasMillis(1000);
		assertThat(plan("rpc.etcd.hosts=127.0.0.1:2379", "rpc.etcd.ttl=2s")).isNotNull();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			// property=value pairs separated by ';' | property named | value named | words of the fix
			"rpc.name=a;rpc.endpoints=127.0.0.1|rpc.endpoints[0]|127.0.0.1|host:port",
			"rpc.name=a;rpc.endpoints=127.0.0.1:70000|rpc.endpoints[0]|127.0.0.1:70000|host:port",
			"rpc.clients[0].name=a;rpc.clients[0].endpoints=:8080|rpc.clients[0].endpoints[0]|:8080|host:port",
			"rpc.target=consul://127.0.0.1/a|rpc.target|consul://127.0.0.1/a|k8s://namespace/service:port",
			"rpc.target=k8s://ns/|rpc.target|k8s://ns/|k8s://namespace/service:port",
			"rpc.target=k8s://ns/svc:http|rpc.target|k8s://ns/svc:http|k8s://namespace/service:port",
			"rpc.clients[0].target=k8s://ns/svc:99999|rpc.clients[0].target|k8s://ns/svc:99999|write the target",
			"rpc.etcd.key=user.rpc|rpc.etcd.hosts|[]|rpc.etcd.hosts: [127.0.0.1:2379]",
			"rpc.clients[0].etcd.key=user.rpc|rpc.clients[0].etcd.hosts|[]|rpc.etcd.hosts",
			"rpc.etcd.hosts[0]=127.0.0.1:2379;rpc.etcd.hosts[1]= |rpc.etcd.hosts[1]||remove the blank entry",
			"rpc.etcd.hosts=127.0.0.1:2379;rpc.etcd.ttl=1|rpc.etcd.ttl|1s|2s or more",
			"rpc.etcd.hosts=127.0.0.1:2379;rpc.etcd.ttl=1500ms|rpc.etcd.ttl|1500ms|2s or more",
			"rpc.etcd.request-timeout=5|rpc.etcd.request-timeout|5ms|write 5s, not 5",
			"rpc.etcd.request-timeout=99ms|rpc.etcd.request-timeout|99ms|100ms or more",
			"rpc.etcd.request-timeout=-1s|rpc.etcd.request-timeout|-1s|100ms or more",
			"rpc.etcd.request-timeout=5s|rpc.etcd.request-timeout|5s|raise rpc.etcd.ttl",
			"rpc.etcd.hosts=127.0.0.1:2379;rpc.etcd.cert-file=/tls/client.pem|rpc.etcd.cert-key-file||PKCS#8",
			"rpc.endpoints=127.0.0.1:8080|rpc.name||add rpc.name",
			"rpc.clients[0].target=direct:///127.0.0.1:8080|rpc.clients[0].name||add rpc.clients[0].name",
			"rpc.clients[0].name=a|rpc.clients[0]|name=a|set one of rpc.clients[0].endpoints",
			"rpc.clients[0].name=a;rpc.clients[0].endpoints=127.0.0.1:1;rpc.clients[1].name=a;rpc.clients[1].endpoints=127.0.0.1:2|rpc.clients[1].name|a|its own name" })
	void badInputIsRejectedNamingPropertyValueAndFix(String pairs, String property, String value, String fix) {
		assertThatExceptionOfType(InvalidRpcPropertyException.class).isThrownBy(() -> plan(pairs.split(";")))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo(property);
				assertThat(ex.getValue()).isEqualTo((value != null) ? value : "");
				assertThat(ex.getFix()).contains(fix);
				assertThat(ex.getMessage()).contains(property);
			});
	}

}

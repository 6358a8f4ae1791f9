package io.github.rpcdiscovery.config;

import java.io.IOException;
import java.time.Duration;

import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.target.KubernetesTarget;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/** go-zero's YAML, pasted as is with its capitalised keys, binds to the rpc block: one test per mode. */
class GoZeroYamlBindingTest {

	static RpcProperties bindYaml(String yaml) throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		new YamlPropertySourceLoader().load("go-zero", new ByteArrayResource(yaml.getBytes()))
			.forEach(environment.getPropertySources()::addFirst);
		return new Binder(ConfigurationPropertySources.get(environment)).bindOrCreate("rpc", RpcProperties.class);
	}

	@Test
	void endpoints() throws IOException {
		RpcProperties properties = bindYaml("""
				Rpc:
				  Name: user.rpc
				  Endpoints:
				    - 127.0.0.1:8080
				    - 127.0.0.2:8080
				""");
		DiscoveryPlan plan = DiscoveryPlanResolver.resolve(properties);
		assertThat(plan.upstreamFor("user.rpc").get().target()).isEqualTo(new DirectTarget(
				java.util.List.of(new HostAndPort("127.0.0.1", 8080), new HostAndPort("127.0.0.2", 8080))));
	}

	@Test
	void etcd() throws IOException {
		RpcProperties properties = bindYaml("""
				Rpc:
				  ListenOn: 127.0.0.1:8080
				  Etcd:
				    Hosts:
				    - 127.0.0.1:2379
				    Key: user.rpc
				    ID: 42
				    User: svc
				    Pass: secret
				    CertFile: /tls/client.pem
				    CertKeyFile: /tls/client-key.pem
				    CACertFile: /tls/ca.pem
				    InsecureSkipVerify: true
				""");
		EtcdProperties etcd = properties.etcd();
		assertThat(properties.listenOn()).isEqualTo("127.0.0.1:8080");
		assertThat(etcd.hosts()).containsExactly("127.0.0.1:2379");
		assertThat(etcd.key()).isEqualTo("user.rpc");
		assertThat(etcd.id()).isEqualTo(42);
		assertThat(etcd.user()).isEqualTo("svc");
		assertThat(etcd.pass()).isEqualTo("secret");
		assertThat(etcd.certFile()).isEqualTo("/tls/client.pem");
		assertThat(etcd.certKeyFile()).isEqualTo("/tls/client-key.pem");
		assertThat(etcd.caCertFile()).isEqualTo("/tls/ca.pem");
		assertThat(etcd.insecureSkipVerify()).isTrue();
		assertThat(etcd.ttl()).isEqualTo(Duration.ofSeconds(10));
		EtcdTarget anyId = (EtcdTarget) DiscoveryPlanResolver.resolve(properties).upstreamFor("order.rpc").get().target();
		assertThat(anyId.key()).isEqualTo("order.rpc");
	}

	@Test
	void blankAccountAndTlsValuesOverATestMeanNone() throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		new YamlPropertySourceLoader().load("go-zero", new ByteArrayResource("""
				Rpc:
				  Etcd:
				    Hosts:
				    - 127.0.0.1:2379
				    User: svc
				    Pass: secret
				    CertFile: /tls/client.pem
				    CertKeyFile: /tls/client-key.pem
				    CACertFile: /tls/ca.pem
				""".getBytes())).forEach(environment.getPropertySources()::addFirst);
		// what a test's own etcd puts first to reach a plain etcd
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", java.util.Map.of("rpc.etcd.user", "", "rpc.etcd.pass", "",
					"rpc.etcd.cert-file", "", "rpc.etcd.cert-key-file", "", "rpc.etcd.ca-cert-file", "")));
		EtcdProperties etcd = new Binder(ConfigurationPropertySources.get(environment))
			.bindOrCreate("rpc", RpcProperties.class)
			.etcd();
		assertThat(etcd.user()).isNull();
		assertThat(etcd.pass()).isNull();
		assertThat(etcd.certFile()).isNull();
		assertThat(etcd.certKeyFile()).isNull();
		assertThat(etcd.caCertFile()).isNull();
	}

	@Test
	void kubernetesTarget() throws IOException {
		RpcProperties properties = bindYaml("""
				Rpc:
				  Target: k8s://mynamespace/myservice:3456
				""");
		assertThat(DiscoveryPlanResolver.resolve(properties).upstreamFor("myservice").get().target())
			.isEqualTo(new KubernetesTarget("mynamespace", "myservice", 3456));
	}

	@Test
	void namedClientBlocksWithDottedServiceIdsNeedNoBrackets() throws IOException {
		RpcProperties properties = bindYaml("""
				Rpc:
				  Clients:
				    - Name: user.rpc
				      Etcd:
				        Hosts: [127.0.0.1:2379]
				        Key: user.rpc
				    - Name: order.rpc
				      Target: direct:///127.0.0.1:9000
				""");
		DiscoveryPlan plan = DiscoveryPlanResolver.resolve(properties);
		assertThat(plan.upstreamFor("user.rpc").get().target()).isInstanceOf(EtcdTarget.class);
		assertThat(plan.upstreamFor("order.rpc").get().target()).isInstanceOf(DirectTarget.class);
	}

	@Test
	void ttlAsABareNumberIsSeconds() throws IOException {
		assertThat(bindYaml("Rpc: {Etcd: {Ttl: 5}}").etcd().ttl()).isEqualTo(Duration.ofSeconds(5));
	}

}

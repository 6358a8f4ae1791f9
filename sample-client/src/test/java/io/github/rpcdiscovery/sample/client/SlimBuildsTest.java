package io.github.rpcdiscovery.sample.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.test.app.ManagedApp;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The builds of the README's "Dependency weight" section: sample-client with fabric8 excluded works in etcd mode, with
 * jetcd excluded works in Kubernetes mode, and each fails its startup naming the missing dependency when the excluded
 * mode is configured. Each runs in a child JVM whose classpath is this module's minus what the exclusion removes.
 */
class SlimBuildsTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	@TempDir
	Path workDir;

	@Test
	void withoutFabric8TheClientRegistersInEtcdAndFindsServicesThere() {
		EtcdCtl etcdctl = etcd.process().etcdctl();
		long lease = etcdctl.grantLease(600);
		etcdctl.put("sample-server/" + lease, "127.0.0.9:8081", lease);
		try (ManagedApp app = app("etcd-only", ChildClasspath.FABRIC8, "--spring.profiles.active=etcd",
				"--rpc.etcd.hosts=" + etcd.hostAndPort())) {
			int port = app.start().awaitPort(Duration.ofSeconds(90));
			assertThat(get(port, "/instances/sample-server")).contains("127.0.0.9");
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(etcdctl.getPrefix("sample-client/")).isNotEmpty());
		}
	}

	@Test
	void withoutJetcdTheClientFindsServicesInKubernetes() {
		try (MockKubernetes cluster = MockKubernetes.start()) {
			cluster.apply(slice("default", "sample-server", "sample-server-a").port("http", 8080)
				.ready("127.0.0.8", "sample-server-1")
				.build());
			try (ManagedApp app = app("kubernetes-only", ChildClasspath.JETCD, "--spring.profiles.active=k8s",
					"--server.address=127.0.0.1", "--rpc.kubernetes.master-url=" + cluster.url(),
					"--rpc.kubernetes.token=app-token")) {
				int port = app.start().awaitPort(Duration.ofSeconds(90));
				assertThat(get(port, "/instances/sample-server")).contains("127.0.0.8");
			}
		}
	}

	@Test
	void withoutJetcdConfiguringEtcdFailsTheStartupNamingJetcd() throws Exception {
		String log = failedStartup("no-jetcd", ChildClasspath.JETCD, "--spring.profiles.active=etcd",
				"--rpc.etcd.hosts=" + etcd.hostAndPort());
		assertThat(log).contains("APPLICATION FAILED TO START").contains("io.etcd:jetcd-core");
	}

	@Test
	void withoutFabric8ConfiguringKubernetesFailsTheStartupNamingFabric8() throws Exception {
		String log = failedStartup("no-fabric8", ChildClasspath.FABRIC8, "--spring.profiles.active=k8s",
				"--server.address=127.0.0.1", "--rpc.kubernetes.master-url=http://127.0.0.1:1",
				"--rpc.kubernetes.token=app-token");
		assertThat(log).contains("APPLICATION FAILED TO START").contains("io.fabric8:kubernetes-client");
	}

	private ManagedApp app(String name, List<String> excluded, String... args) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.docker.compose.enabled=false"));
		all.addAll(List.of(args));
		return ManagedApp.main(name, ChildClasspath.without(excluded), SampleClientApplication.class.getName(),
				this.workDir, List.of("-Xshare:off", "-XX:TieredStopAtLevel=1"), all);
	}

	private String failedStartup(String name, List<String> excluded, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(ChildClasspath.javaBinary(), "-Xshare:off",
				"-XX:TieredStopAtLevel=1", "-cp", ChildClasspath.without(excluded),
				SampleClientApplication.class.getName(), "--server.port=0", "--spring.docker.compose.enabled=false"));
		command.addAll(List.of(args));
		Path log = this.workDir.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(name + " gives up").isTrue();
			assertThat(process.exitValue()).as(name + "'s exit status").isNotZero();
		}
		finally {
			process.destroyForcibly();
		}
		return Files.readString(log);
	}

	private static String get(int port, String path) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
			return response.body();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}

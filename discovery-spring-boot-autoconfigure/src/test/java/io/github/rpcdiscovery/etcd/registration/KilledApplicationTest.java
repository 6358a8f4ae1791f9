package io.github.rpcdiscovery.etcd.registration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registered application in its own JVM: stopped with SIGTERM, its key is gone as soon as it exits (the lease was
 * revoked); killed with SIGKILL, its key stays until the lease's TTL runs out, then goes.
 */
class KilledApplicationTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	static final Duration TTL = Duration.ofSeconds(3);

	@Test
	void sigtermRevokesAtOnce() throws Exception {
		Process app = startApp("127.0.0.31", "term.rpc");
		EtcdState state = new EtcdState(etcd.process().etcdctl());
		try {
			awaitRegistered(state, "term.rpc/", app);
			app.destroy();
			assertThat(app.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			assertThat(state.entries("term.rpc/")).isEmpty();
			assertThat(state.leasesHex()).isEmpty();
		}
		finally {
			app.destroyForcibly();
		}
	}

	@Test
	void sigkillLeavesTheKeyUntilTheTtlRunsOut() throws Exception {
		Process app = startApp("127.0.0.32", "killed.rpc");
		EtcdState state = new EtcdState(etcd.process().etcdctl());
		try {
			Map<String, String> registered = awaitRegistered(state, "killed.rpc/", app);
			app.destroyForcibly();
			assertThat(app.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			long killed = System.nanoTime();
			// nobody revoked the lease: the key is still there, then expires with the lease
			assertThat(state.entries("killed.rpc/")).isEqualTo(registered);
			await().atMost(TTL.plusSeconds(2))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> state.entries("killed.rpc/").isEmpty());
			long gone = (System.nanoTime() - killed) / 1_000_000;
			System.out.println("The key of the killed application expired " + gone + " ms after SIGKILL (TTL "
					+ TTL.toSeconds() + "s)");
			assertThat(state.leasesHex()).isEmpty();
			assertThat(state.entries("_rpc-meta/")).isEmpty();
		}
		finally {
			app.destroyForcibly();
		}
	}

	private static Map<String, String> awaitRegistered(EtcdState state, String prefix, Process app) {
		return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
			assertThat(app.isAlive()).as("the application is running").isTrue();
			return state.entries(prefix);
		}, (entries) -> !entries.isEmpty());
	}

	/** {@link RegistrationTestApp#main} in a child JVM with this test's classpath. */
	private static Process startApp(String host, String name) throws Exception {
		Path log = Files.createTempFile("registered-app-", ".log");
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				RegistrationTestApp.class.getName(), "--spring.application.name=" + name,
				"--rpc.etcd.hosts=" + etcd.hostAndPort(), "--rpc.etcd.ttl=" + TTL.toSeconds(),
				"--rpc.etcd.request-timeout=1s", "--rpc.listen-on=" + host,
				"--server.address=" + host, "--server.port=0", "--spring.cloud.loadbalancer.enabled=false"));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

}

package io.github.rpcdiscovery.testing.etcd;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** {@link EmbeddedEtcd} on plain JUnit classes, run through the JUnit engine to see what happens after the class. */
class EmbeddedEtcdTest {

	@Test
	void startsEtcdOnLoopbackForTheClassAndStopsItAfterTheClass() {
		SeenServers.clear();
		EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(AnnotatedClass.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.succeeded(2).failed(0));
		assertThat(SeenServers.seen).hasSize(2);
		assertThat(SeenServers.seen.get(0)).as("one etcd for the whole class").isSameAs(SeenServers.seen.get(1));
		EmbeddedEtcdServer server = SeenServers.seen.get(0);
		assertThat(server.hostAndPort()).startsWith("127.0.0.1:");
		assertThat(server.isRunning()).as("stopped after the class").isFalse();
	}

	@Test
	void aNestedClassSharesItsEnclosingClassEtcdAndDoesNotStopIt() {
		SeenServers.clear();
		EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(WithNestedClass.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.succeeded(2).failed(0));
		assertThat(SeenServers.seen).hasSize(2);
		assertThat(SeenServers.seen.get(0)).isSameAs(SeenServers.seen.get(1));
		assertThat(SeenServers.runningAfterNested).as("still running for the outer class's later tests").isTrue();
		assertThat(SeenServers.seen.get(0).isRunning()).isFalse();
	}

	@Test
	void aMissingBinaryFailsWithTheInstallCommand() {
		assertThatThrownBy(() -> EtcdExecutables.find("etcd-that-does-not-exist", "RPC_DISCOVERY_NO_SUCH_VARIABLE"))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("apt-get install -y etcd-server etcd-client");
	}

	@Test
	void closeStopsTheProcessAndDeletesItsData() {
		EmbeddedEtcdServer server = EmbeddedEtcdServer.start();
		assertThat(server.isRunning()).isTrue();
		server.close();
		assertThat(server.isRunning()).isFalse();
		assertThat(server.log()).as("the work dir with the log is gone").isEmpty();
	}

	static final class SeenServers {

		static final List<EmbeddedEtcdServer> seen = new ArrayList<>();

		static volatile boolean runningAfterNested;

		static void clear() {
			seen.clear();
			runningAfterNested = false;
		}

	}

	static boolean healthy(EmbeddedEtcdServer etcd) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(etcd.endpoint() + "/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		return response.body().contains("\"health\":\"true\"");
	}

	@EmbeddedEtcd
	static class AnnotatedClass {

		@Test
		void first(EmbeddedEtcdServer etcd) throws Exception {
			assertThat(healthy(etcd)).isTrue();
			SeenServers.seen.add(etcd);
		}

		@Test
		void second(EmbeddedEtcdServer etcd) throws Exception {
			assertThat(healthy(etcd)).isTrue();
			SeenServers.seen.add(etcd);
		}

	}

	@EmbeddedEtcd
	static class WithNestedClass {

		@Test
		void outer(EmbeddedEtcdServer etcd) {
			SeenServers.seen.add(etcd);
			SeenServers.runningAfterNested = etcd.isRunning();
		}

		@Nested
		class Inner {

			@Test
			void inner(EmbeddedEtcdServer etcd) {
				SeenServers.seen.add(etcd);
			}

		}

	}

}

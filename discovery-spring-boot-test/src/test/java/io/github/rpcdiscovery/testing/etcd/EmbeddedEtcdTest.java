package io.github.rpcdiscovery.testing.etcd;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
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
		assertThat(SeenServers.runningAfterNested).as("still running after the nested class, for the outer class")
			.isTrue();
		assertThat(SeenServers.seen.get(0).isRunning()).isFalse();
	}

	@Test
	void subclassesOfAnAnnotatedBaseClassEachHaveTheirOwnEtcdAlsoWhenRunInParallel() {
		SeenServers.clear();
		SeenServers.bothSubclassesRunning = new CyclicBarrier(2);
		EngineTestKit.engine("junit-jupiter")
			.configurationParameters(Map.of("junit.jupiter.execution.parallel.enabled", "true",
					"junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
					"junit.jupiter.execution.parallel.config.strategy", "fixed",
					"junit.jupiter.execution.parallel.config.fixed.parallelism", "2"))
			.selectors(selectClass(FirstSubclass.class), selectClass(SecondSubclass.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.succeeded(2).failed(0));
		SeenServers.bothSubclassesRunning = null;
		assertThat(SeenServers.seen).hasSize(2);
		assertThat(SeenServers.seen.get(0)).as("one etcd per test class").isNotSameAs(SeenServers.seen.get(1));
		assertThat(SeenServers.seen).noneMatch(EmbeddedEtcdServer::isRunning);
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

		static final List<EmbeddedEtcdServer> seen = Collections.synchronizedList(new ArrayList<>());

		/**
		 * Holds each subclass's test until the other's runs too, so the two classes overlap; null when they are not
		 * run in parallel by the test below (a build that selects them directly).
		 */
		static volatile @Nullable CyclicBarrier bothSubclassesRunning;

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
		}

		/** Runs after the {@code @Nested} class has finished, before this class's etcd stops. */
		@AfterAll
		static void recordWhetherEtcdStillRuns() {
			SeenServers.runningAfterNested = !SeenServers.seen.isEmpty() && SeenServers.seen.get(0).isRunning();
		}

		@Nested
		class Inner {

			@Test
			void inner(EmbeddedEtcdServer etcd) {
				SeenServers.seen.add(etcd);
			}

		}

	}

	@EmbeddedEtcd
	abstract static class AnnotatedBaseClass {

		@Test
		void overlapsWithTheOtherSubclass(EmbeddedEtcdServer etcd) throws Exception {
			CyclicBarrier bothRunning = SeenServers.bothSubclassesRunning;
			assumeTrue(bothRunning != null, "run only in parallel with the other subclass");
			bothRunning.await(30, TimeUnit.SECONDS);
			SeenServers.seen.add(etcd);
			// the other class may have finished by now: its end must not stop this class's etcd
			bothRunning.await(30, TimeUnit.SECONDS);
			assertThat(healthy(etcd)).isTrue();
		}

	}

	static class FirstSubclass extends AnnotatedBaseClass {

	}

	static class SecondSubclass extends AnnotatedBaseClass {

	}

}

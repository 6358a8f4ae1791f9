package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import ch.qos.logback.classic.Level;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * etcd killed with SIGKILL and started again, on its data dir or on an empty one: while it is down the client keeps
 * its list (one WARN), and after the restart it converges on what etcd then holds (one INFO). After an empty restart
 * etcd's revisions start over, so resuming a watch "from the last revision + 1" would wait silently for a revision
 * that means something else; the client must list again.
 */
class EtcdDiscoveryRestartTest {

	private EtcdProcess etcd;

	private DiscoveryHarness harness;

	private EtcdCtl etcdctl;

	@BeforeEach
	void start() {
		this.etcd = EtcdProcess.startSingle();
		this.etcdctl = this.etcd.etcdctl();
	}

	@AfterEach
	void stop() {
		if (this.harness != null) {
			this.harness.close();
		}
		this.etcd.close();
	}

	@Test
	void killedAndRestartedOnItsDataTheViewIsFrozenThenConverges() {
		this.harness = DiscoveryHarness.start(List.of(this.etcd.hostAndPort()));
		try (LogCapture logs = LogCapture.of(ClusterLoads.class, PrefixMirror.class, InstanceDecoder.class)) {
			long first = this.etcdctl.grantLease(600);
			long second = this.etcdctl.grantLease(600);
			this.etcdctl.put("user.rpc/" + first, "127.0.0.5:8080", first);
			this.etcdctl.put("user.rpc/" + second, "127.0.0.6:8080", second);
			this.etcdctl.put("user.rpc/garbage", "not an address");
			List<String> known = List.of("127.0.0.5:8080", "127.0.0.6:8080");
			awaitView(known);
			assertThat(logs.messages(Level.WARN, "'user.rpc/garbage'")).hasSize(1);
			logs.clear();

			this.etcd.kill();
			await("the outage is noticed").atMost(Duration.ofSeconds(30))
				.until(() -> !logs.messages(Level.WARN, "is unreachable").isEmpty());
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> awaitView(known));

			this.etcd.start();
			this.etcdctl.revoke(first);
			long third = this.etcdctl.grantLease(600);
			this.etcdctl.put("user.rpc/" + third, "127.0.0.7:8080", third);
			awaitView(List.of("127.0.0.6:8080", "127.0.0.7:8080"));
			assertThat(this.harness.addresses("user.rpc"))
				.containsExactlyElementsOf(EtcdTruth.addresses(this.etcdctl, "user.rpc"));

			await().atMost(Duration.ofSeconds(10)).until(() -> !logs.messages(Level.INFO, "reachable again").isEmpty());
			assertThat(logs.messages(Level.WARN, "is unreachable")).hasSize(1);
			assertThat(logs.messages(Level.INFO, "reachable again")).hasSize(1);
			assertThat(logs.messages(Level.WARN, "'user.rpc/garbage'")).as("warned once, not again on the reload")
				.isEmpty();
			assertThat(logs.anyStackTrace()).isFalse();
		}
	}

	@Test
	void restartedOnAnEmptyDataDirTheViewConvergesOnTheNewHistory() {
		this.harness = DiscoveryHarness.start(List.of(this.etcd.hostAndPort()));
		// push the revision well past what the new, empty etcd will reach
		for (int i = 0; i < 30; i++) {
			this.etcdctl.put("noise/" + i, "x");
		}
		this.etcdctl.put("user.rpc/1", "127.0.0.5:8080");
		this.etcdctl.put("user.rpc/2", "127.0.0.6:8080");
		awaitView(List.of("127.0.0.5:8080", "127.0.0.6:8080"));
		long oldRevision = this.etcdctl.revision();

		this.etcd.kill();
		this.etcd.wipeData();
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
			.untilAsserted(() -> awaitView(List.of("127.0.0.5:8080", "127.0.0.6:8080")));
		this.etcd.start();

		// what a re-registering server would write: new keys at revisions 2, 3 of a brand-new history
		this.etcdctl.put("user.rpc/3", "127.0.0.7:8080");
		this.etcdctl.put("user.rpc/2", "127.0.0.6:8080");
		assertThat(this.etcdctl.revision()).isLessThan(oldRevision);
		awaitView(List.of("127.0.0.6:8080", "127.0.0.7:8080"));
		assertThat(this.harness.addresses("user.rpc"))
			.containsExactlyElementsOf(EtcdTruth.addresses(this.etcdctl, "user.rpc"));

		this.etcdctl.put("user.rpc/4", "127.0.0.8:8080");
		awaitView(List.of("127.0.0.6:8080", "127.0.0.7:8080", "127.0.0.8:8080"));
	}

	@Test
	void aFirstLoadThatFailsIsRetriedAndCompletesWhenEtcdAnswers() {
		this.etcdctl.put("late.rpc/1", "127.0.0.9:8080");
		this.etcd.kill();
		try (LogCapture logs = LogCapture.of(ClusterLoads.class, PrefixMirror.class)) {
			this.harness = DiscoveryHarness.start(List.of(this.etcd.hostAndPort()));
			CompletableFuture<Void> firstLoad = this.harness.source.watch(new Upstream("late.rpc",
					new EtcdTarget(EtcdCluster.of(List.of(this.etcd.hostAndPort())), "late.rpc"), "test"));
			await().atMost(Duration.ofSeconds(20)).until(() -> !logs.messages(Level.WARN, "is unreachable").isEmpty());
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> !firstLoad.isDone());
			assertThat(this.harness.catalog.snapshot("late.rpc")).isNull();

			this.etcd.start();
			assertThat(firstLoad).succeedsWithin(Duration.ofSeconds(20));
			assertThat(DiscoveryHarness.addressesOf(this.harness.catalog.instances("late.rpc")))
				.containsExactly("127.0.0.9:8080");
			assertThat(logs.messages(Level.WARN)).hasSize(1);
			assertThat(logs.messages(Level.INFO, "reachable again")).hasSize(1);
			assertThat(logs.anyStackTrace()).isFalse();
		}
	}

	private void awaitView(List<String> addresses) {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.harness.addresses("user.rpc")).containsExactlyElementsOf(addresses);
			assertThat(this.harness.supplied("user.rpc")).containsExactlyElementsOf(addresses);
		});
	}

}

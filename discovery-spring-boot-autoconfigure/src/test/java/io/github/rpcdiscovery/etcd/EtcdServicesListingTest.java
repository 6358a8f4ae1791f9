package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.rpcdiscovery.cloud.CatalogHeartbeatPublisher;
import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.core.UnlistedServices;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.test.net.TcpProxy;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.Upstream;
import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code DiscoveryClient.getServices()} in etcd mode lists every key with a live go-zero entry
 * ({@code <key>/<decimal id>} on a lease), not only the ids looked up: registered later, it appears within a second
 * with a {@code HeartbeatEvent}; its last instance gone, it goes. Real etcd, written to by etcdctl as go-zero would.
 */
class EtcdServicesListingTest {

	private EtcdProcess etcd;

	private EtcdCtl etcdctl;

	private final ServiceCatalog catalog = new ServiceCatalog();

	private final EtcdConnections connections = new EtcdConnections();

	private final List<Object> heartbeats = new CopyOnWriteArrayList<>();

	private EtcdDiscoverySource source;

	private ServiceDiscovery discovery;

	private CatalogHeartbeatPublisher heartbeatPublisher;

	private DiscoveryClient client;

	@BeforeEach
	void start() {
		this.etcd = EtcdProcess.startSingle();
		this.etcdctl = this.etcd.etcdctl();
	}

	@AfterEach
	void stop() {
		if (this.discovery != null) {
			this.heartbeatPublisher.destroy();
			this.discovery.close();
		}
		this.connections.close();
		this.etcd.close();
	}

	private void startClient(EtcdDiscoverySource etcdSource) {
		startClient(etcdSource, new DiscoveryPlan(List.of(), EtcdCluster.of(List.of(this.etcd.hostAndPort())), null));
	}

	private void startClient(EtcdDiscoverySource etcdSource, DiscoveryPlan plan) {
		this.source = etcdSource;
		this.discovery = new ServiceDiscovery(this.catalog, plan, List.of(etcdSource), Duration.ofSeconds(15),
				new UnlistedServices.Settings(UnlistedServices.Mode.REGISTERED, Duration.ofMinutes(10), 512,
						Duration.ofSeconds(10)));
		this.heartbeatPublisher = new CatalogHeartbeatPublisher(this.catalog, (event) -> {
			if (event instanceof HeartbeatEvent heartbeat) {
				this.heartbeats.add(heartbeat.getValue());
			}
		});
		this.heartbeatPublisher.afterSingletonsInstantiated(); // as the started context does
		this.client = new RpcDiscoveryClient(this.discovery, 0);
	}

	@Test
	void aServiceRegisteredInEtcdIsListedWithinOneSecondWithAHeartbeatAndGoesWithItsLastInstance() {
		long early = this.etcdctl.grantLease(600);
		this.etcdctl.put("order.rpc/" + early, "127.0.0.5:8080", early);
		startClient(new EtcdDiscoverySource(this.catalog, this.connections, DiscoveryHarness.FAST));
		assertThat(this.client.getServices()).as("registered before the first call, never looked up")
			.containsExactly("order.rpc");

		int heartbeatsBefore = this.heartbeats.size();
		long first = this.etcdctl.grantLease(600);
		long second = this.etcdctl.grantLease(600);
		this.etcdctl.put("user.rpc/" + first, "127.0.0.6:8080", first);
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(this.client.getServices()).containsExactlyInAnyOrder("order.rpc", "user.rpc"));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.heartbeats.size() > heartbeatsBefore);

		this.etcdctl.put("user.rpc/" + second, "127.0.0.7:8080", second);
		this.etcdctl.revoke(first);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.client.getServices()).contains("user.rpc"));

		int heartbeatsBeforeRevoke = this.heartbeats.size();
		this.etcdctl.revoke(second);
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(this.client.getServices()).containsExactly("order.rpc"));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.heartbeats.size() > heartbeatsBeforeRevoke);
	}

	@Test
	void keysThatAreNotLiveGoZeroEntriesAreNotListed() {
		long lease = this.etcdctl.grantLease(600);
		this.etcdctl.put("config/app/123", "not a service");
		this.etcdctl.put("named.rpc/abc", "127.0.0.5:8080", lease);
		startClient(new EtcdDiscoverySource(this.catalog, this.connections, DiscoveryHarness.FAST));
		assertThat(this.client.getServices()).isEmpty();

		// by the watch now: no lease, a suffix that is no decimal id, this starter's metadata beside the entries
		this.etcdctl.put("unleased.rpc/7587857472832806666", "127.0.0.5:8080");
		this.etcdctl.put("named.rpc/instance-1", "127.0.0.5:8080", lease);
		this.etcdctl.put(InstanceMetadataCodec.ROOT + "user.rpc/7587857472832806666", "{}", lease);
		this.etcdctl.put("sentinel.rpc/-42", "127.0.0.5:8080", lease);
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(this.client.getServices()).containsExactly("sentinel.rpc"));

		// a key that loses its lease by a plain put stops counting
		this.etcdctl.put("sentinel.rpc/-42", "127.0.0.5:8080");
		await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(this.client.getServices()).isEmpty());
	}

	@Test
	void whileEtcdIsDownTheListIsKeptAndAfterItsRestartItCatchesUp() {
		long kept = this.etcdctl.grantLease(600);
		this.etcdctl.put("kept.rpc/" + kept, "127.0.0.5:8080", kept);
		startClient(new EtcdDiscoverySource(this.catalog, this.connections, DiscoveryHarness.FAST));
		try (LogCapture logs = LogCapture.of(ServiceKeyIndex.class)) {
			assertThat(this.client.getServices()).containsExactly("kept.rpc");

			// whether the outage is logged while it lasts depends on when jetcd gives the watch up (it may resubscribe
			// quietly): the list must be kept either way
			this.etcd.kill();
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
				.untilAsserted(() -> assertThat(this.client.getServices()).containsExactly("kept.rpc"));

			this.etcd.start();
			this.etcdctl.revoke(kept);
			long fresh = this.etcdctl.grantLease(600);
			this.etcdctl.put("fresh.rpc/" + fresh, "127.0.0.6:8080", fresh);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.client.getServices()).containsExactly("fresh.rpc"));
			int outagesLogged = logs.messages(Level.WARN, "Could not list the services").size();
			assertThat(outagesLogged).as("one WARN per outage at most").isLessThanOrEqualTo(1);
			assertThat(logs.messages(Level.INFO, "can be listed again")).hasSize(outagesLogged);
			assertThat(logs.anyStackTrace()).isFalse();
		}
	}

	@Test
	void historyCompactedWhileDisconnectedIsListedAgain() {
		long gone = this.etcdctl.grantLease(600);
		this.etcdctl.put("gone.rpc/" + gone, "127.0.0.5:8080", gone);
		try (TcpProxy proxy = TcpProxy.start("127.0.0.1", this.etcd.clientPort());
				LogCapture logs = LogCapture.of(ServiceKeyIndex.class)) {
			EtcdCluster viaProxy = EtcdCluster.of(List.of(proxy.address()));
			startClient(new EtcdDiscoverySource(this.catalog, this.connections, DiscoveryHarness.FAST),
					new DiscoveryPlan(List.of(), viaProxy, null));
			assertThat(this.client.getServices()).containsExactly("gone.rpc");

			proxy.refuse();
			this.etcdctl.revoke(gone);
			long back = this.etcdctl.grantLease(600);
			this.etcdctl.put("back.rpc/" + back, "127.0.0.6:8080", back);
			this.etcdctl.compact(this.etcdctl.revision());
			proxy.heal();

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.client.getServices()).containsExactly("back.rpc"));
			assertThat(logs.messages(Level.INFO, "Services in")).last().asString()
				.contains("listed at revision").contains("added [back.rpc]").contains("removed [gone.rpc]");
		}
	}

	@Test
	void overTheCapTheFirstKeysAreListedWithOneWarning() {
		long lease = this.etcdctl.grantLease(600);
		for (String key : List.of("a.rpc", "b.rpc", "c.rpc")) {
			this.etcdctl.put(key + "/" + lease, "127.0.0.5:8080", lease);
		}
		try (LogCapture logs = LogCapture.of(ServiceKeyIndex.class)) {
			startClient(new EtcdDiscoverySource(this.catalog, this.connections, DiscoveryHarness.FAST,
					new EtcdServicesSettings("", 2)));
			assertThat(this.client.getServices()).containsExactly("a.rpc", "b.rpc");

			this.etcdctl.put("d.rpc/" + lease, "127.0.0.5:8080", lease);
			this.etcdctl.revoke(lease);
			long next = this.etcdctl.grantLease(600);
			this.etcdctl.put("e.rpc/" + next, "127.0.0.5:8080", next);
			await().atMost(Duration.ofSeconds(1))
				.untilAsserted(() -> assertThat(this.client.getServices()).containsExactly("e.rpc"));
			assertThat(logs.messages(Level.WARN, "rpc.etcd.discovery.max-services")).hasSize(1);
		}
	}

	@Test
	void onlyKeysUnderTheServicesPrefixAreListed() {
		long lease = this.etcdctl.grantLease(600);
		this.etcdctl.put("rpc/user/" + lease, "127.0.0.5:8080", lease);
		this.etcdctl.put("other/" + lease, "127.0.0.5:8080", lease);
		startClient(new EtcdDiscoverySource(this.catalog, this.connections, DiscoveryHarness.FAST,
				new EtcdServicesSettings("rpc/", 10)));
		assertThat(this.client.getServices()).containsExactly("rpc/user");
	}

	@Test
	void aClientOnAnotherClusterIsListedWhileItsKeyHoldsAnEntry() {
		try (EtcdProcess other = EtcdProcess.startSingle()) {
			EtcdCtl otherCtl = other.etcdctl();
			Upstream payments = new Upstream("payments", new EtcdTarget(EtcdCluster.of(List.of(other.hostAndPort())),
					"pay.rpc"), "rpc.clients[0]");
			startClient(new EtcdDiscoverySource(this.catalog, this.connections, DiscoveryHarness.FAST),
					new DiscoveryPlan(List.of(payments), EtcdCluster.of(List.of(this.etcd.hostAndPort())), null));
			assertThat(this.client.getServices()).isEmpty();

			long lease = otherCtl.grantLease(600);
			otherCtl.put("pay.rpc/" + lease, "127.0.0.5:8080", lease);
			otherCtl.put("unclaimed.rpc/" + lease, "127.0.0.5:8080", lease);
			await().atMost(Duration.ofSeconds(1))
				.untilAsserted(() -> assertThat(this.client.getServices()).containsExactly("payments"));
			otherCtl.revoke(lease);
			await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(this.client.getServices()).isEmpty());
		}
	}

}

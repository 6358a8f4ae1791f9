package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.etcd.registration.EtcdRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdServiceRegistry;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * etcd is down for 30 s while an application keeps looking ids up, keeps its watches and keeps trying to register
 * (all on one shared client, as in production). Every call ends by its deadline (the request timeout, 3 s) instead of
 * waiting for the connection, and once etcd is back it receives what the application needs now (a listing, the
 * watches, a new lease), not every call issued during the outage. etcd's own counter of started RPCs
 * ({@code grpc_server_started_total}, reset by the restart) measures what reached it.
 */
class CallsDuringAnEtcdOutageTest {

	private static final Duration OUTAGE = Duration.ofSeconds(30);

	private static final Duration DEADLINE = EtcdConnections.DEFAULT_REQUEST_TIMEOUT;

	/** A caller waits up to this long; a call that is still open by then was blocked past its deadline. */
	private static final Duration CALLER_PATIENCE = DEADLINE.plusSeconds(2);

	/** Scheduling slack on a busy machine. */
	private static final Duration SLACK = Duration.ofMillis(1500);

	private static final List<String> IDS = List.of("alpha.rpc", "beta.rpc", "gamma.rpc");

	private EtcdProcess etcd;

	private EtcdConnections connections;

	private EtcdDiscoverySource source;

	private EtcdServiceRegistry registry;

	private final ServiceCatalog catalog = new ServiceCatalog();

	private final ScheduledExecutorService callers = Executors.newScheduledThreadPool(IDS.size());

	private final AtomicLong longestCallNanos = new AtomicLong();

	private final AtomicInteger callsPastDeadline = new AtomicInteger();

	private final AtomicInteger callsEnded = new AtomicInteger();

	@BeforeEach
	void start() {
		this.etcd = EtcdProcess.startSingle();
		this.connections = new EtcdConnections();
		this.source = new EtcdDiscoverySource(this.catalog, this.connections, DiscoveryHarness.FAST);
		this.registry = new EtcdServiceRegistry(this.connections, cluster(), false);
	}

	@AfterEach
	void stop() {
		this.callers.shutdownNow();
		this.registry.close();
		this.source.close();
		this.connections.close();
		this.etcd.close();
	}

	@Test
	void callsDuringAnOutageEndAtTheirDeadlineAndDoNotReachEtcdAfterwards() throws Exception {
		for (String id : IDS) {
			this.etcd.etcdctl().run("put", id + "/1", "127.0.0.1:" + (9000 + IDS.indexOf(id)));
			this.source.watch(upstream(id)).get(10, TimeUnit.SECONDS);
		}
		EtcdRegistration registration = new EtcdRegistration("outage.rpc", 0, Duration.ofSeconds(10),
				Map.of("scheme", "http"), new HostAndPort("127.0.0.31", 8001));
		this.registry.register(registration);
		for (String id : IDS) {
			// each caller looks its id up twice a second, waiting a little longer than the deadline each time
			this.callers.scheduleWithFixedDelay(() -> lookUp(id), 0, 500, TimeUnit.MILLISECONDS);
		}

		this.etcd.kill();
		int endedBefore = this.callsEnded.get();
		// while etcd is down, no caller waits past the deadline: each call ends (refused in time) and the next starts
		await("etcd down for " + OUTAGE).during(OUTAGE)
			.atMost(OUTAGE.plusSeconds(5))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(this.callsPastDeadline).as("lookups still open after " + CALLER_PATIENCE)
				.hasValue(0));
		assertThat(this.callsEnded.get() - endedBefore).as("lookups that ended during the outage")
			.isGreaterThan(IDS.size() * 3);
		assertThat(Duration.ofNanos(this.longestCallNanos.get())).as("the longest lookup")
			.isLessThanOrEqualTo(DEADLINE.plus(SLACK));
		this.callers.shutdownNow();
		assertThat(this.callers.awaitTermination(CALLER_PATIENCE.toMillis() + 1000, TimeUnit.MILLISECONDS)).isTrue();

		this.etcd.start();
		// etcd is back: discovery lists again (a key written now shows up) and the registration is put back
		this.etcd.etcdctl().run("put", "alpha.rpc/2", "127.0.0.1:9100");
		AtomicInteger ownReads = new AtomicInteger();
		await("discovery and registration back").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.catalog.instances("alpha.rpc").size() == 2 && registered(ownReads));
		Map<String, Long> afterRecovery = EtcdRequests.byMethod(this.etcd);
		// the test's own put and reads through etcdctl do not count
		long fromTheApplication = EtcdRequests.total(afterRecovery) - 1 - ownReads.get();
		// needed now: a listing or two, a watch per key and one for the metadata, the lease's keep-alive and check,
		// its key and its own-key watch (12 seen); without deadlines every call of the outage came on top (49 seen)
		assertThat(fromTheApplication).as("RPCs etcd started since it came back, by method: %s", afterRecovery)
			.isLessThanOrEqualTo(20);
	}

	private boolean registered(AtomicInteger reads) {
		reads.incrementAndGet();
		return !this.etcd.etcdctl().run("get", "--prefix", "--keys-only", "outage.rpc/").isBlank();
	}

	private void lookUp(String id) {
		long start = System.nanoTime();
		try {
			this.source.holds(upstream(id)).get(CALLER_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			this.callsPastDeadline.incrementAndGet();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (ExecutionException ex) {
			// a failed lookup is an answer too
		}
		this.longestCallNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
		this.callsEnded.incrementAndGet();
	}

	private Upstream upstream(String id) {
		return new Upstream(id, new EtcdTarget(cluster(), id), "test");
	}

	private EtcdCluster cluster() {
		return EtcdCluster.of(List.of(this.etcd.hostAndPort()));
	}

}

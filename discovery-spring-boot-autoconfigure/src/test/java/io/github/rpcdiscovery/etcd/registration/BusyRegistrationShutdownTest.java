package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.status.DiscoveryObserver;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deregistering revokes the lease even when the registration's own thread is busy at that moment (here: held in a
 * step that does not return, as a stuck call would): the key leaves the real etcd before deregistering returns, not a
 * TTL later.
 */
class BusyRegistrationShutdownTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	private final EtcdConnections connections = new EtcdConnections();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.release.countDown();
		this.connections.close();
	}

	@Test
	void aRegistrationWhoseThreadIsBusyAtShutdownStillRevokesItsLease() {
		EtcdServiceRegistry registry = new EtcdServiceRegistry(this.connections,
				EtcdCluster.of(List.of(etcd.hostAndPort())), false);
		CountDownLatch busy = new CountDownLatch(1);
		registry.observe(new DiscoveryObserver() {

			@Override
			public void leaseGranted(String serviceKey, boolean replacing) {
				// runs on the registration's thread right after the write: hold it there, deaf to interrupts
				busy.countDown();
				while (true) {
					try {
						BusyRegistrationShutdownTest.this.release.await();
						return;
					}
					catch (InterruptedException ex) {
						// keep holding it
					}
				}
			}

		});
		EtcdRegistration registration = new EtcdRegistration("busy.rpc", 0, Duration.ofSeconds(60),
				Map.of("scheme", "http"), new HostAndPort("127.0.0.21", 8080));
		registry.startRegistration(registration);
		await().atMost(Duration.ofSeconds(10)).until(() -> busy.getCount() == 0);
		assertThat(etcd.process().etcdctl().keys("busy.rpc/")).hasSize(1);

		boolean withdrawn = registry.withdraw(registration);

		assertThat(etcd.process().etcdctl().keys("busy.rpc/")).as("the key right after deregistering").isEmpty();
		assertThat(etcd.process().etcdctl().keys("_rpc-meta/busy.rpc/")).isEmpty();
		assertThat(withdrawn).as("deregistering says the key left etcd").isTrue();
		// once the thread is free again, it neither writes the key back nor leaves a lease behind
		this.release.countDown();
		EtcdState state = new EtcdState(etcd.process().etcdctl());
		await().atMost(Duration.ofSeconds(5)).until(() -> state.leasesHex().isEmpty());
		assertThat(etcd.process().etcdctl().keys("busy.rpc/")).isEmpty();
	}

}

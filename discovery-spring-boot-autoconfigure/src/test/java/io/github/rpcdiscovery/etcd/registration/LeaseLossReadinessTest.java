package io.github.rpcdiscovery.etcd.registration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.rpcdiscovery.actuate.RpcHealthProperties;
import io.github.rpcdiscovery.actuate.RpcReadinessHealthIndicator;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.status.RegistrationState;
import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness counts a registration lost only when its lease can no longer be alive, judged on the monotonic clock: a
 * step of the wall clock is not a lost lease, and neither is an etcd that is unreachable for less than the TTL.
 */
class LeaseLossReadinessTest {

	private static final Duration TTL = Duration.ofSeconds(6);

	/** The wall clock the registration and the readiness read: the system's, plus a step the test sets. */
	private final AtomicLong wallStepMillis = new AtomicLong();

	/** The monotonic clock: the system's, plus time the test lets pass at once. */
	private final AtomicLong passedNanos = new AtomicLong();

	private final LeaseClock clock = new LeaseClock() {

		@Override
		public long nanoTime() {
			return System.nanoTime() + LeaseLossReadinessTest.this.passedNanos.get();
		}

		@Override
		public long wallMillis() {
			return System.currentTimeMillis() + LeaseLossReadinessTest.this.wallStepMillis.get();
		}

	};

	private EtcdProcess etcd;

	private EtcdConnections connections;

	private EtcdServiceRegistry registry;

	private RpcReadinessHealthIndicator readiness;

	private EtcdRegistration registration;

	@BeforeEach
	void register() {
		this.etcd = EtcdProcess.startSingle();
		this.connections = new EtcdConnections();
		this.registry = new EtcdServiceRegistry(this.connections, EtcdCluster.of(List.of(this.etcd.hostAndPort())),
				false, this.clock);
		Clock wall = new Clock() {

			@Override
			public Instant instant() {
				return Instant.ofEpochMilli(LeaseLossReadinessTest.this.clock.wallMillis());
			}

			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

		};
		ServiceDiscovery discovery = new ServiceDiscovery(new ServiceCatalog(), new DiscoveryPlan(List.of(), null, null),
				List.of(), Duration.ofSeconds(1));
		// lost for longer than nothing at all: the strictest setting
		this.readiness = new RpcReadinessHealthIndicator(discovery, List.of(this.registry),
				new RpcHealthProperties(Duration.ZERO, false, new RpcHealthProperties.Readiness(true)), wall);
		this.registration = new EtcdRegistration("ready.rpc", 0, TTL, Map.of("scheme", "http"),
				new HostAndPort("127.0.0.31", 8080));
		this.registry.register(this.registration);
		assertThat(status().state()).isEqualTo(RegistrationState.UP);
		assertThat(this.readiness.health().getStatus()).isEqualTo(Status.UP);
	}

	@AfterEach
	void close() {
		this.registry.close();
		this.connections.close();
		this.etcd.close();
	}

	@Test
	void aWallClockStepForwardIsNotALostLease() {
		this.wallStepMillis.set(Duration.ofHours(1).toMillis());

		RegistrationStatus stepped = status();
		assertThat(stepped.state()).isEqualTo(RegistrationState.UP);
		assertThat(stepped.ttlLeft()).isPositive();
		assertThat(this.readiness.health().getStatus()).isEqualTo(Status.UP);
		// and it is kept alive as before
		await().during(TTL).atMost(TTL.plusSeconds(2))
			.until(() -> status().state() == RegistrationState.UP
					&& this.readiness.health().getStatus().equals(Status.UP));
		assertThat(this.etcd.etcdctl().keys("ready.rpc/")).hasSize(1);
	}

	@Test
	void aWallClockStepBackDoesNotLengthenTheLease() {
		this.wallStepMillis.set(-Duration.ofHours(1).toMillis());

		assertThat(status().ttlLeft()).isLessThanOrEqualTo(TTL);
		assertThat(this.readiness.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void anEtcdKilledForLessThanTheTtlLeavesReadinessUp() {
		this.etcd.kill();
		await().during(TTL.dividedBy(2)).atMost(TTL)
			.until(() -> this.readiness.health().getStatus().equals(Status.UP));
		this.etcd.start();
		await().atMost(TTL).until(() -> status().lastError() == null);
		assertThat(status().state()).isEqualTo(RegistrationState.UP);
		assertThat(this.readiness.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void anEtcdFrozenForLessThanTheTtlLeavesReadinessUp() {
		this.etcd.pause();
		try {
			await().during(TTL.dividedBy(2)).atMost(TTL)
				.until(() -> this.readiness.health().getStatus().equals(Status.UP));
		}
		finally {
			this.etcd.resume();
		}
		await().atMost(TTL).until(() -> status().lastError() == null);
		assertThat(status().state()).isEqualTo(RegistrationState.UP);
		assertThat(this.readiness.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aLeaseUnrenewedForLongerThanItsTtlOnTheMonotonicClockIsLostUntilEtcdRenewsIt() {
		// etcd frozen, so that no renewal can come; then more than a TTL passes on the monotonic clock
		this.etcd.pause();
		try {
			this.passedNanos.set(TTL.plusSeconds(1).toNanos());
			RegistrationStatus lost = status();
			assertThat(lost.state()).isEqualTo(RegistrationState.LOST);
			assertThat(lost.ttlLeft()).isZero();
			assertThat(this.readiness.health().getStatus()).isEqualTo(Status.DOWN);
		}
		finally {
			this.etcd.resume();
		}
		// etcd still holds the lease (it was frozen for an instant): it is renewed, and the registration is UP again
		await().atMost(TTL).until(() -> status().state() == RegistrationState.UP);
		assertThat(this.readiness.health().getStatus()).isEqualTo(Status.UP);
	}

	private RegistrationStatus status() {
		return this.registry.registrations().get(0);
	}

}

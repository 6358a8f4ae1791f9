package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registration waits for etcd as long as {@code rpc.etcd.request-timeout} says, like every other etcd call: an etcd
 * that does not answer fails the first attempt after that deadline, not after a fixed one of its own.
 */
class RegistrationRequestTimeoutTest {

	static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(6);

	private final EtcdProcess etcd = EtcdProcess.startSingle();

	private final EtcdConnections connections = new EtcdConnections(REQUEST_TIMEOUT);

	private EtcdServiceRegistry registry;

	@AfterEach
	void stop() {
		this.etcd.resume();
		if (this.registry != null) {
			this.registry.close();
		}
		this.connections.close();
		this.etcd.close();
	}

	@Test
	void anUnansweredRegistrationWaitsTheConfiguredRequestTimeout() {
		this.registry = new EtcdServiceRegistry(this.connections, EtcdCluster.of(List.of(this.etcd.hostAndPort())),
				false);
		EtcdRegistration registration = new EtcdRegistration("slow.rpc", 0, Duration.ofSeconds(10),
				Map.of("scheme", "http"), new HostAndPort("127.0.0.31", 8080));
		this.etcd.pause();
		long started = System.nanoTime();

		CompletableFuture<Void> firstAttempt = this.registry.startRegistration(registration);

		await().atMost(REQUEST_TIMEOUT.multipliedBy(3)).until(firstAttempt::isDone);
		Duration waited = Duration.ofNanos(System.nanoTime() - started);
		assertThat(firstAttempt).isCompletedExceptionally();
		assertThat(waited).as("how long the unanswered grant was waited for")
			.isGreaterThanOrEqualTo(REQUEST_TIMEOUT.minusMillis(200));
	}

}

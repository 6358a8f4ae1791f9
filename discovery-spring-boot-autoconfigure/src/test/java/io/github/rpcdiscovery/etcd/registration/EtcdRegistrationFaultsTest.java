package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.rpcdiscovery.etcd.Backoff;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.status.RegistrationState;
import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.testing.TestLogging;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registrations survive etcd's failures: killed longer than the TTL and restarted on its data, restarted from nothing,
 * frozen longer than the TTL. After each, every live instance is registered again with exactly one key (no leak),
 * within the back-off of etcd serving again, and stays registered; an outage is logged once per instance that saw it.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdRegistrationFaultsTest {

	static final Duration TTL = Duration.ofSeconds(3);

	/** etcd serving again → every instance registered: the longest back-off step (half the TTL), plus a grant and a write. */
	static final Duration RECOVERY = Backoff.forLease(TTL).cap().plusSeconds(2);

	static final List<HostAndPort> ADDRESSES = List.of(new HostAndPort("127.0.0.11", 8001),
			new HostAndPort("127.0.0.12", 8002), new HostAndPort("127.0.0.13", 8003));

	private EtcdProcess etcd;

	private EtcdConnections connections;

	private EtcdServiceRegistry registry;

	private EtcdState state;

	private final List<EtcdRegistration> registrations = new ArrayList<>();

	@BeforeAll
	static void logLikeAnApplication() {
		TestLogging.useSpringBootDefaults();
	}

	@BeforeEach
	void start() {
		this.etcd = EtcdProcess.startSingle();
		this.connections = new EtcdConnections();
		this.registry = new EtcdServiceRegistry(this.connections, EtcdCluster.of(List.of(this.etcd.hostAndPort())),
				false);
		this.state = new EtcdState(this.etcd.etcdctl());
		for (HostAndPort address : ADDRESSES) {
			EtcdRegistration registration = new EtcdRegistration("fault.rpc", 0, TTL, Map.of("scheme", "http"),
					address);
			this.registry.register(registration);
			this.registrations.add(registration);
		}
		assertExactlyOneLiveKeyEach();
	}

	@AfterEach
	void stop() {
		this.registry.close();
		this.connections.close();
		this.etcd.close();
	}

	@Test
	void killedLongerThanTheTtlAndRestartedOnItsData(CapturedOutput output) {
		Map<String, String> before = this.state.entries("");
		this.etcd.kill();
		awaitEveryLeaseLost();
		this.etcd.start();
		long serving = System.nanoTime();

		awaitRecovery(serving);
		assertStaysRegistered();
		// etcd restored the leases with a full TTL, and every instance renewed its own in time: nothing changed
		assertThat(this.state.entries("")).isEqualTo(before);
		assertOutageLogged(output, between(0, ADDRESSES.size()));
	}

	@Test
	void restartedWithAnEmptyDataDir(CapturedOutput output) {
		Set<String> before = this.state.entries("fault.rpc/").keySet();
		this.etcd.kill();
		this.etcd.wipeData();
		this.etcd.start();
		long serving = System.nanoTime();

		awaitRecovery(serving);
		assertThat(this.state.entries("fault.rpc/").keySet()).doesNotContainAnyElementsOf(before);
		assertStaysRegistered();
		assertThat(output.getOut().lines().filter((line) -> line.contains("Re-registered fault.rpc"))).hasSize(3);
	}

	@Test
	void frozenLongerThanTheTtlThenResumed(CapturedOutput output) {
		Set<String> before = this.state.entries("fault.rpc/").keySet();
		this.etcd.pause();
		awaitEveryLeaseLost();
		this.etcd.resume();
		long serving = System.nanoTime();

		awaitRecovery(serving);
		// etcd revokes the expired leases on waking: the instances are on new leases, each with one key
		assertThat(this.state.entries("fault.rpc/").keySet()).doesNotContainAnyElementsOf(before);
		assertStaysRegistered();
		// an instance whose check was still waiting when etcd came back never saw a failure
		assertOutageLogged(output, between(0, ADDRESSES.size()));
	}

	/**
	 * A long outage: one WARN per instance however many retries fail, one INFO when it ends, and the recovery is as
	 * quick as after a short one. gRPC's reconnect back-off has grown to many seconds by then (it reaches two minutes
	 * after long outages, jetcd issue #1616); the registration makes the channel reconnect at once on each retry.
	 */
	@Test
	void aLongOutageLogsOnceAndRecoversAsQuicklyAsAShortOne(CapturedOutput output) {
		Map<String, String> before = this.state.entries("");
		this.etcd.kill();
		await("the outage is noticed").atMost(Duration.ofSeconds(15))
			.until(() -> warnings(output), (count) -> count == ADDRESSES.size());
		// 20 s more of failed retries: not one more warning, and every lease is lost as far as the application knows
		await("a long outage").during(Duration.ofSeconds(20))
			.atMost(Duration.ofSeconds(22))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> warnings(output) == ADDRESSES.size() && !output.getOut().contains("works again after"));
		assertThat(this.registry.registrations()).extracting(RegistrationStatus::state)
			.containsOnly(RegistrationState.LOST);

		this.etcd.start();
		long serving = System.nanoTime();
		// the keys are back at once (etcd restored the leases); what counts is that every instance renews again
		await("every instance renews again").atMost(RECOVERY)
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertOutageLogged(output, ADDRESSES.size()));
		System.out.println("Renewals resumed " + (System.nanoTime() - serving) / 1_000_000
				+ " ms after etcd served again, after a 25 s outage");
		assertStaysRegistered();
		assertThat(this.state.entries("")).isEqualTo(before);
	}

	private static long warnings(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains(" WARN ") && line.contains("Cannot keep fault.rpc"))
			.count();
	}

	private void awaitRecovery(long servingSinceNanos) {
		await("every instance registered again with one key").atMost(RECOVERY)
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(this::assertExactlyOneLiveKeyEach);
		long millis = (System.nanoTime() - servingSinceNanos) / 1_000_000;
		System.out.println("Registrations recovered " + millis + " ms after etcd served again");
	}

	/** Renewals go on: the same keys hold for well over a TTL, and nothing else appears. */
	private void assertStaysRegistered() {
		Map<String, String> recovered = this.state.entries("");
		await("registrations kept alive").during(TTL.multipliedBy(2))
			.atMost(TTL.multipliedBy(3))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.state.entries(""), recovered::equals);
	}

	private void assertExactlyOneLiveKeyEach() {
		Map<String, String> instances = this.state.entries("fault.rpc/");
		assertThat(instances.values()).containsExactlyInAnyOrderElementsOf(
				ADDRESSES.stream().map(HostAndPort::toString).toList());
		Set<String> leases = instances.keySet()
			.stream()
			.map((key) -> ActiveLease.hex(this.state.leaseOf(key)))
			.collect(Collectors.toSet());
		assertThat(leases).hasSize(3);
		// no leaked leases or keys: only ours, and one metadata key per instance on the same lease
		assertThat(this.state.leasesHex()).containsExactlyInAnyOrderElementsOf(leases);
		assertThat(this.state.entries("_rpc-meta/fault.rpc/")).hasSize(3);
		for (EtcdRegistration registration : this.registrations) {
			assertThat(this.registry.currentKey(registration)).hasValueSatisfying(
					(key) -> assertThat(instances).containsEntry(key, registration.address().toString()));
		}
	}

	/** One WARN per instance that saw the outage, however many retries failed; one INFO when it ends; no stack traces. */
	private void assertOutageLogged(CapturedOutput output, int instancesThatSawIt) {
		assertOutageLogged(output, new int[] { instancesThatSawIt, instancesThatSawIt });
	}

	private void assertOutageLogged(CapturedOutput output, int[] range) {
		List<String> lines = output.getOut().lines().toList();
		long warnings = warnings(output);
		assertThat(warnings).isBetween((long) range[0], (long) range[1]);
		assertThat(lines.stream().filter((line) -> line.contains("works again after"))).hasSize((int) warnings);
		assertThat(output.getOut()).doesNotContain("\tat ");
	}

	private static int[] between(int min, int max) {
		return new int[] { min, max };
	}

	/**
	 * Every registration went a whole TTL without a renewal (its status says LOST), and stays so for another second:
	 * etcd, had it been running, would have let the leases expire.
	 */
	private void awaitEveryLeaseLost() {
		await("a TTL without renewal, for every registration").during(Duration.ofSeconds(1))
			.atMost(TTL.multipliedBy(3))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.registry.registrations()
				.stream()
				.allMatch((status) -> status.state() == RegistrationState.LOST));
	}

}

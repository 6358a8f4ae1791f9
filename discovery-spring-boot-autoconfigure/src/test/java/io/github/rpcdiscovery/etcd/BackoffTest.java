package io.github.rpcdiscovery.etcd;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one back-off of the starter: discovery with its configured bounds, registrations capped by their TTL. */
class BackoffTest {

	@Test
	void delaysDoubleWithJitterUpToTheCapAndStartOverAfterAReset() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
		assertThat(backoff.cap()).isEqualTo(Duration.ofSeconds(1));
		for (int i = 0; i < 40; i++) {
			long ceiling = Math.min(1000, 100L << Math.min(i, 20));
			assertThat(backoff.next().toMillis()).as("attempt %d", i).isBetween(ceiling / 2, ceiling);
		}
		backoff.reset();
		assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
	}

	@Test
	void aCapBelowTheFirstDelayIsRaisedToIt() {
		Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1));
		assertThat(backoff.cap()).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.next().toMillis()).isBetween(1000L, 2000L);
	}

	@Test
	void aLeaseRetriesFromHalfASecondUpToFiveSeconds() {
		Backoff backoff = Backoff.forLease(Duration.ofSeconds(30));
		assertThat(backoff.cap()).isEqualTo(Backoff.LEASE_RETRY_MAX).hasSeconds(5);
		for (int i = 0; i < 10; i++) {
			long step = Math.min(5000, 500L << i);
			assertThat(backoff.next().toMillis()).as("attempt %d", i).isBetween(step / 2, step);
		}
		backoff.reset();
		assertThat(backoff.next().toMillis()).isBetween(250L, 500L);
	}

	@Test
	void aLeaseNeverWaitsHalfItsTtlOrMore() {
		Backoff backoff = Backoff.forLease(Duration.ofSeconds(3));
		assertThat(backoff.cap()).hasMillis(1500);
		for (int i = 0; i < 10; i++) {
			assertThat(backoff.next().toMillis()).isLessThanOrEqualTo(1500);
		}
		assertThat(Backoff.forLease(Duration.ofSeconds(10)).cap()).hasMillis(5000);
		// a TTL of one second still waits the first delay
		assertThat(Backoff.forLease(Duration.ofSeconds(1)).cap()).hasMillis(500);
	}

}

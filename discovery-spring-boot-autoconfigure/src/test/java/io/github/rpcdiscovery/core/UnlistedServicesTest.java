package io.github.rpcdiscovery.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which unlisted ids resolve here and when their watches close, on an injected clock. */
class UnlistedServicesTest {

	private final AtomicLong now = new AtomicLong();

	private final AtomicInteger probes = new AtomicInteger();

	private UnlistedServices unlisted(UnlistedServices.Mode mode) {
		return new UnlistedServices(new UnlistedServices.Settings(mode, Duration.ofMinutes(10), 3,
				Duration.ofSeconds(10)), this.now::get);
	}

	private boolean admits(UnlistedServices unlisted, String id, boolean registered) {
		return unlisted.admission(id, () -> {
			this.probes.incrementAndGet();
			return CompletableFuture.completedFuture(registered);
		}, Duration.ofSeconds(1)).join();
	}

	@Test
	void registeredModeAsksTheRegistryAndRemembersANoForTheRecheckInterval() {
		UnlistedServices unlisted = unlisted(UnlistedServices.Mode.REGISTERED);
		assertThat(admits(unlisted, "static-svc", false)).isFalse();
		assertThat(admits(unlisted, "static-svc", true)).as("remembered").isFalse();
		assertThat(this.probes).hasValue(1);
		this.now.addAndGet(Duration.ofSeconds(11).toNanos());
		assertThat(admits(unlisted, "static-svc", true)).as("asked again").isTrue();
		assertThat(this.probes).hasValue(2);
	}

	@Test
	void aRegistryThatCannotAnswerInTimeMeansNo() {
		UnlistedServices unlisted = unlisted(UnlistedServices.Mode.REGISTERED);
		assertThat(unlisted.admission("slow", CompletableFuture::new, Duration.ofMillis(50)).join()).isFalse();
		assertThat(unlisted.admission("failed", () -> CompletableFuture.failedFuture(new IllegalStateException()),
				Duration.ofSeconds(1)).join()).isFalse();
	}

	@Test
	void aRegistryThatCouldNotAnswerIsNotWaitedForAgainAndIsAskedAgainInTheBackgroundSoon() {
		UnlistedServices unlisted = unlisted(UnlistedServices.Mode.REGISTERED);
		// etcd down: the first lookup's probe fails; Spring Cloud's chain answers meanwhile
		assertThat(unlisted.admission("user.rpc", () -> {
			this.probes.incrementAndGet();
			return CompletableFuture.failedFuture(new IllegalStateException("unreachable"));
		}, Duration.ofSeconds(1)).join()).isFalse();
		assertThat(admits(unlisted, "user.rpc", true)).as("not asked again at once").isFalse();
		assertThat(this.probes).hasValue(1);

		// a second later the registry is asked again, in the background: the lookup does not wait for it
		this.now.addAndGet(UnlistedProbes.RETRY_UNANSWERED.toNanos());
		CompletableFuture<Boolean> background = new CompletableFuture<>();
		CompletableFuture<Boolean> lookup = unlisted.admission("user.rpc", () -> {
			this.probes.incrementAndGet();
			return background;
		}, Duration.ofMinutes(1));
		assertThat(lookup).isCompletedWithValue(false);
		assertThat(admits(unlisted, "user.rpc", true)).as("one background probe at a time").isFalse();
		assertThat(this.probes).hasValue(2);

		// etcd back: the id it holds resolves here at the next lookup, not recheck-interval (10 s) later
		background.complete(true);
		assertThat(admits(unlisted, "user.rpc", true)).isTrue();
		assertThat(this.probes).hasValue(3);
	}

	@Test
	void aProbeThatTimesOutIsNotWaitedForByLaterLookups() {
		UnlistedServices unlisted = unlisted(UnlistedServices.Mode.REGISTERED);
		CompletableFuture<Boolean> hanging = new CompletableFuture<>();
		assertThat(unlisted.admission("slow.rpc", () -> hanging, Duration.ofMillis(50)).join()).isFalse();
		assertThat(unlisted.admission("slow.rpc", () -> hanging, Duration.ofMinutes(1)))
			.as("answered at once, not after another timeout")
			.isCompletedWithValue(false);
		assertThat(hanging).as("the probe itself is not ended by one caller's timeout").isNotDone();
	}

	@Test
	void concurrentFirstLookupsShareOneProbe() {
		UnlistedServices unlisted = unlisted(UnlistedServices.Mode.REGISTERED);
		CompletableFuture<Boolean> answer = new CompletableFuture<>();
		CompletableFuture<Boolean> first = unlisted.admission("user.rpc", () -> {
			this.probes.incrementAndGet();
			return answer;
		}, Duration.ofMinutes(1));
		CompletableFuture<Boolean> second = unlisted.admission("user.rpc", () -> {
			this.probes.incrementAndGet();
			return answer;
		}, Duration.ofMinutes(1));
		assertThat(first).isNotDone();
		assertThat(second).isNotDone();
		answer.complete(true);
		assertThat(first.join()).isTrue();
		assertThat(second.join()).isTrue();
		assertThat(this.probes).hasValue(1);
	}

	@Test
	void allAndNoneDoNotAskTheRegistry() {
		assertThat(admits(unlisted(UnlistedServices.Mode.ALL), "x", false)).isTrue();
		assertThat(admits(unlisted(UnlistedServices.Mode.NONE), "x", true)).isFalse();
		assertThat(this.probes).hasValue(0);
	}

	@Test
	void anIdleWatchClosesAfterTheIdleTimeoutAndALookupKeepsItOpen() {
		UnlistedServices unlisted = unlisted(UnlistedServices.Mode.REGISTERED);
		unlisted.used("idle");
		unlisted.used("busy");
		this.now.addAndGet(Duration.ofMinutes(9).toNanos());
		unlisted.used("busy");
		assertThat(unlisted.evictable()).isEmpty();
		this.now.addAndGet(Duration.ofMinutes(2).toNanos());
		assertThat(unlisted.evictable()).containsOnlyKeys("idle");
		assertThat(unlisted.isWatched("busy")).isTrue();
		assertThat(unlisted.isWatched("idle")).isFalse();
	}

	@Test
	void overTheBoundTheLeastRecentlyUsedCloses() {
		UnlistedServices unlisted = unlisted(UnlistedServices.Mode.ALL);
		for (String id : new String[] { "a", "b", "c", "d" }) {
			unlisted.used(id);
			this.now.incrementAndGet();
		}
		unlisted.used("a");
		assertThat(unlisted.evictable()).containsOnlyKeys("b");
		assertThat(unlisted.watchedCount()).isEqualTo(3);
	}

}

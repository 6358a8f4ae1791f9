package io.github.rpcdiscovery.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What the registry answered about unlisted ids ({@code registered} mode), so that lookups wait for at most one probe
 * of an id and never for a registry that cannot answer:
 * <ul>
 * <li>the first lookup of an id asks the registry and waits for the answer, up to the timeout; lookups meanwhile wait
 * for the same probe;</li>
 * <li>"not registered" is remembered for {@code recheck-interval};</li>
 * <li>a probe without an answer (registry down, slow or failing) is not waited for again: later lookups answer "no"
 * at once (Spring Cloud's chain answers them), and the registry is asked again in the background, one probe at a time,
 * at most once a second, so an id it holds resolves here about a second after it is back.</li>
 * </ul>
 * Bounded: the least recently looked-up ids are forgotten first.
 */
final class UnlistedProbes {

	static final int MAX_REMEMBERED = 1024;

	/** How soon a registry that did not answer is asked again (in the background). */
	static final Duration RETRY_UNANSWERED = Duration.ofSeconds(1);

	private final long recheckNanos;

	private final long retryNanos;

	private final LongSupplier nanoClock;

	/** service id → what is known; guarded by itself, access-ordered, bounded */
	private final Map<String, Verdict> verdicts = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
			return size() > MAX_REMEMBERED;
		}

	};

	UnlistedProbes(Duration recheckInterval, LongSupplier nanoClock) {
		this.recheckNanos = recheckInterval.toNanos();
		this.retryNanos = Math.min(RETRY_UNANSWERED.toNanos(), this.recheckNanos);
		this.nanoClock = nanoClock;
	}

	/** Whether the registry holds the id. Completes within {@code timeout}; never exceptionally. */
	CompletableFuture<Boolean> admission(String serviceId, Supplier<CompletableFuture<Boolean>> probe,
			Duration timeout) {
		long now = this.nanoClock.getAsLong();
		CompletableFuture<Boolean> answer;
		synchronized (this.verdicts) {
			Verdict known = this.verdicts.get(serviceId);
			if (known != null && known.unanswered()) {
				if (known.probe() == null && now - known.until() >= 0) {
					ask(serviceId, probe, true, known.until());
				}
				return CompletableFuture.completedFuture(false);
			}
			if (known != null && known.probe() != null) {
				answer = known.probe();
			}
			else if (known != null && now - known.until() < 0) {
				return CompletableFuture.completedFuture(false);
			}
			else {
				answer = ask(serviceId, probe, false, 0);
			}
		}
		CompletableFuture<Boolean> awaited = answer;
		// a copy: the timeout ends this caller's wait, not the probe other callers share
		return awaited.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((held, failure) -> {
			if (failure == null) {
				return Boolean.TRUE.equals(held);
			}
			unanswered(serviceId, awaited);
			return false;
		});
	}

	/** Starts a probe and records it before its answer can arrive (a probe may answer at once). */
	private CompletableFuture<Boolean> ask(String serviceId, Supplier<CompletableFuture<Boolean>> probe,
			boolean unanswered, long until) {
		CompletableFuture<Boolean> answer;
		try {
			answer = probe.get();
		}
		catch (RuntimeException ex) {
			answer = CompletableFuture.failedFuture(ex);
		}
		this.verdicts.put(serviceId, new Verdict(answer, unanswered, until));
		CompletableFuture<Boolean> asked = answer;
		answer.whenComplete((held, failure) -> settle(serviceId, asked, held, failure));
		return answer;
	}

	private void settle(String serviceId, CompletableFuture<Boolean> answer, @Nullable Boolean held,
			@Nullable Throwable failure) {
		long now = this.nanoClock.getAsLong();
		synchronized (this.verdicts) {
			Verdict known = this.verdicts.get(serviceId);
			if (known == null || known.probe() != answer) {
				return;
			}
			if (failure != null) {
				this.verdicts.put(serviceId, new Verdict(null, true, now + this.retryNanos));
			}
			else if (Boolean.TRUE.equals(held)) {
				// held: the next lookup asks again and resolves here at once
				this.verdicts.remove(serviceId);
			}
			else {
				this.verdicts.put(serviceId, new Verdict(null, false, now + this.recheckNanos));
			}
		}
	}

	/** A caller stopped waiting for the probe: later lookups do not wait for it. */
	private void unanswered(String serviceId, CompletableFuture<Boolean> answer) {
		long now = this.nanoClock.getAsLong();
		synchronized (this.verdicts) {
			Verdict known = this.verdicts.get(serviceId);
			if (known != null && known.probe() == answer && !known.unanswered()) {
				this.verdicts.put(serviceId, new Verdict(answer, true, now + this.retryNanos));
			}
		}
	}

	/**
	 * @param probe the registry's answer under way, or {@code null}
	 * @param unanswered the last probe got no answer: lookups do not wait
	 * @param until "not registered" holds until then, or (unanswered) no new probe before then
	 */
	private record Verdict(@Nullable CompletableFuture<Boolean> probe, boolean unanswered, long until) {
	}

}

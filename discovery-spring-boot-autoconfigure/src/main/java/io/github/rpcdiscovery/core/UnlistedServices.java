package io.github.rpcdiscovery.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The rule for service ids that no {@code rpc.*} block names ("unlisted"), looked up in the default registry
 * ({@code rpc.etcd.hosts}, or the namespace of a {@code k8s://} target):
 * <ul>
 * <li>{@code registered} (default): such an id resolves here only if the registry holds it when it is first looked up
 * (a key under {@code <id>/} in etcd, an EndpointSlice of the Service in Kubernetes); any other id is left to Spring
 * Cloud's own discovery clients and load-balancer configuration. A "no" is remembered for
 * {@code recheck-interval}; a registry that cannot answer is not waited for twice ({@link UnlistedProbes}).</li>
 * <li>{@code all}: every id resolves here (the registry may get its instances later).</li>
 * <li>{@code none}: only configured ids resolve here.</li>
 * </ul>
 * Watches of unlisted ids are closed when nobody looked them up for {@code idle-timeout}, and when more than
 * {@code max-services} are open the least recently used goes first, so an application that asks for many ids keeps
 * a bounded number of watches, catalog entries and meters. Configured ids are never closed.
 */
public final class UnlistedServices {

	public enum Mode {

		REGISTERED, ALL, NONE

	}

	/**
	 * @param mode which unlisted ids resolve here
	 * @param idleTimeout how long an unlisted id's watch stays open without a lookup
	 * @param maxServices how many unlisted ids are watched at most
	 * @param recheckInterval how long a "not registered" answer is kept before the registry is asked again
	 */
	public record Settings(Mode mode, Duration idleTimeout, int maxServices, Duration recheckInterval) {

		public static Settings defaults() {
			return new Settings(Mode.REGISTERED, Duration.ofMinutes(10), 512, Duration.ofSeconds(10));
		}

	}

	private final Settings settings;

	private final LongSupplier nanoClock;

	/** unlisted id → when it was last looked up (nanos); the ids whose watch is open */
	private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();

	private final UnlistedProbes probes;

	public UnlistedServices(Settings settings, LongSupplier nanoClock) {
		this.settings = settings;
		this.nanoClock = nanoClock;
		this.probes = new UnlistedProbes(settings.recheckInterval(), nanoClock);
	}

	public Settings settings() {
		return this.settings;
	}

	/**
	 * Whether an unlisted id resolves here. Completes within {@code timeout}; never exceptionally.
	 * @param probe asks the registry whether it holds the id
	 */
	CompletableFuture<Boolean> admission(String serviceId, Supplier<CompletableFuture<Boolean>> probe,
			Duration timeout) {
		return switch (this.settings.mode()) {
			case ALL -> CompletableFuture.completedFuture(true);
			case NONE -> CompletableFuture.completedFuture(false);
			case REGISTERED -> this.lastUsed.containsKey(serviceId) ? CompletableFuture.completedFuture(true)
					: this.probes.admission(serviceId, probe, timeout);
		};
	}

	/** An unlisted id was looked up (its watch is open, or about to be). Cheap: one map write. */
	void used(String serviceId) {
		this.lastUsed.put(serviceId, this.nanoClock.getAsLong());
	}

	/** Whether the id is an unlisted one with an open watch. */
	boolean isWatched(String serviceId) {
		return this.lastUsed.containsKey(serviceId);
	}

	/** How many unlisted ids have an open watch. */
	public int watchedCount() {
		return this.lastUsed.size();
	}

	/**
	 * The unlisted ids whose watch should close now, each with the reason: idle for {@code idle-timeout}, then the
	 * least recently used over {@code max-services}. They are forgotten here; the caller closes their watches.
	 */
	Map<String, String> evictable() {
		long now = this.nanoClock.getAsLong();
		long idle = this.settings.idleTimeout().toNanos();
		Map<String, String> evicted = new LinkedHashMap<>();
		List<Map.Entry<String, Long>> open = new ArrayList<>(this.lastUsed.entrySet());
		open.sort(Map.Entry.comparingByValue());
		int over = open.size() - this.settings.maxServices();
		for (Map.Entry<String, Long> entry : open) {
			boolean idleTooLong = now - entry.getValue() >= idle;
			if ((over > 0 || idleTooLong) && this.lastUsed.remove(entry.getKey(), entry.getValue())) {
				evicted.put(entry.getKey(), idleTooLong ? "not looked up for " + this.settings.idleTimeout()
						: "more than " + this.settings.maxServices() + " unlisted services are watched, and it was"
								+ " looked up least recently");
				over--;
			}
		}
		return evicted;
	}

}

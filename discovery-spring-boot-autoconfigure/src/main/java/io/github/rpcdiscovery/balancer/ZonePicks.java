package io.github.rpcdiscovery.balancer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Picks counted by the zone of the node picked, for one service's balancer; a pick costs one {@link LongAdder}
 * increment (the balancer hands each node its zone's counter when the list changes). Zones are few: the counters
 * live as long as the balancer.
 */
public final class ZonePicks {

	/** The zone of a node without one. */
	public static final String UNKNOWN = "unknown";

	private final Map<String, LongAdder> byZone = new ConcurrentHashMap<>();

	private final List<Consumer<String>> newZoneListeners = new CopyOnWriteArrayList<>();

	private final String localZone;

	ZonePicks(@Nullable String localZone) {
		this.localZone = (localZone != null) ? localZone : UNKNOWN;
	}

	/** The caller's zone, {@value #UNKNOWN} if it has none. */
	public String localZone() {
		return this.localZone;
	}

	/** The counter of a zone, created on first sight. */
	LongAdder counter(@Nullable String zone) {
		String name = (zone != null) ? zone : UNKNOWN;
		LongAdder existing = this.byZone.get(name);
		if (existing != null) {
			return existing;
		}
		boolean[] created = new boolean[1];
		LongAdder counter = this.byZone.computeIfAbsent(name, (key) -> {
			created[0] = true;
			return new LongAdder();
		});
		if (created[0]) {
			this.newZoneListeners.forEach((listener) -> listener.accept(name));
		}
		return counter;
	}

	/** Picks of nodes in a zone since startup. */
	public long picks(String zone) {
		LongAdder counter = this.byZone.get(zone);
		return (counter != null) ? counter.sum() : 0;
	}

	/** The zones seen so far. */
	public List<String> zones() {
		return List.copyOf(this.byZone.keySet());
	}

	/** Tells {@code listener} about every zone: those seen so far at once, the others when first seen. */
	public void onZone(Consumer<String> listener) {
		this.newZoneListeners.add(listener);
		this.byZone.keySet().forEach(listener);
	}

}

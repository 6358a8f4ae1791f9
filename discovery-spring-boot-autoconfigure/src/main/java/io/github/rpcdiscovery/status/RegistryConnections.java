package io.github.rpcdiscovery.status;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry connections of one discovery source, and who observes them. A source creates a tracker per
 * connection ({@link #track}) and reports to it; readers take {@link #statuses()}.
 */
public final class RegistryConnections {

	private final String source;

	private final Clock clock;

	private final Map<String, ConnectionTracker> trackers = new ConcurrentHashMap<>();

	private volatile DiscoveryObserver observer = DiscoveryObserver.NONE;

	public RegistryConnections(String source) {
		this(source, Clock.systemUTC());
	}

	public RegistryConnections(String source, Clock clock) {
		this.source = source;
		this.clock = clock;
	}

	public String source() {
		return this.source;
	}

	/** The tracker of a connection, created on first use. */
	public ConnectionTracker track(String name) {
		ConnectionTracker existing = this.trackers.get(name);
		if (existing != null) {
			return existing;
		}
		ConnectionTracker created = new ConnectionTracker(this, name, this.clock);
		existing = this.trackers.putIfAbsent(name, created);
		if (existing != null) {
			return existing;
		}
		this.observer.connectionTracked(created);
		return created;
	}

	void remove(ConnectionTracker tracker) {
		this.trackers.remove(tracker.name(), tracker);
	}

	/** Every tracked connection, sorted by name. */
	public List<ConnectionTracker> trackers() {
		return this.trackers.values()
			.stream()
			.sorted((a, b) -> a.name().compareTo(b.name()))
			.toList();
	}

	/** The state of every connection, sorted by name. */
	public List<ConnectionStatus> statuses() {
		return trackers().stream().map(ConnectionTracker::status).toList();
	}

	/** Starts telling {@code observer}; it hears about the connections tracked so far at once. */
	public void observe(DiscoveryObserver observer) {
		this.observer = observer;
		trackers().forEach(observer::connectionTracked);
	}

	DiscoveryObserver observer() {
		return this.observer;
	}

}

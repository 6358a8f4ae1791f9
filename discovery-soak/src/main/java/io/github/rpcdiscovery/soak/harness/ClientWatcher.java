package io.github.rpcdiscovery.soak.harness;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls every client all the time (every 200 ms): keeps its latest view, hands its failed calls to the
 * {@link Timeline} to tell avoidable ones apart, counts its calls by outcome, and, while the client is cut off from
 * etcd, checks that its view keeps every instance it listed when the cut began.
 */
final class ClientWatcher implements AutoCloseable {

	private final List<SoakJvm> clients;

	private final Timeline timeline;

	private final Ledger ledger;

	private final Map<String, Set<String>> views = new ConcurrentHashMap<>();

	private final Map<String, Long> okSeen = new ConcurrentHashMap<>();

	private final Map<String, Long> callsSeen = new ConcurrentHashMap<>();

	private final Map<Object, Armed> armed = new ConcurrentHashMap<>();

	private record Armed(String client, Set<String> listed) {

	}

	private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread thread = new Thread(r, "soak-client-watcher");
		thread.setDaemon(true);
		return thread;
	});

	ClientWatcher(List<SoakJvm> clients, Timeline timeline, Ledger ledger) {
		this.clients = clients;
		this.timeline = timeline;
		this.ledger = ledger;
	}

	void start() {
		this.poller.scheduleWithFixedDelay(this::pollAll, 0, 200, TimeUnit.MILLISECONDS);
	}

	/** The client's view as last polled; null if it never answered. */
	Set<String> view(SoakJvm client) {
		return this.views.get(client.name());
	}

	/** Polls the client now (for quiet points, which must not judge a stale view). */
	Set<String> freshView(SoakJvm client) {
		poll(client);
		return view(client);
	}

	/**
	 * From now until {@link #disarm} of the token returned, the client's view must keep every instance it lists now
	 * that etcd still lists ({@code registered}; null if etcd could not be read).
	 */
	Object arm(SoakJvm client, Set<String> registered) {
		Object token = new Object();
		Set<String> now = freshView(client);
		if (now != null) {
			Set<String> kept = new TreeSet<>(now);
			if (registered != null) {
				kept.retainAll(registered);
			}
			this.armed.put(token, new Armed(client.name(), Set.copyOf(kept)));
		}
		return token;
	}

	void disarm(Object token) {
		this.armed.remove(token);
	}

	private void pollAll() {
		try {
			this.clients.forEach(this::poll);
		}
		catch (RuntimeException ex) {
			System.out.println("client watcher: " + ex);
		}
	}

	private synchronized void poll(SoakJvm client) {
		String answer = client.get("/soak/view");
		if (answer == null) {
			return; // paused, or busy: the next poll tells
		}
		for (String line : answer.split("\n")) {
			String[] fields = line.split(" ");
			switch (fields[0]) {
				case "view" -> observe(client,
						new TreeSet<>((fields.length > 1) ? Arrays.asList(fields[1].split(",")) : List.of()));
				case "calls" -> {
					// every finished call is checked: a success trivially, a failure against the timeline
					long calls = Long.parseLong(fields[1]);
					Long previous = this.callsSeen.put(client.name(), calls);
					this.ledger.checked(Invariant.NO_AVOIDABLE_CALL_FAILURE, calls - ((previous != null) ? previous : 0));
				}
				case "ok" -> {
					long ok = Long.parseLong(fields[1]);
					Long previous = this.okSeen.put(client.name(), ok);
					this.ledger.calls("ok", ok - ((previous != null) ? previous : 0));
				}
				case "fail" -> failed(client, Long.parseLong(fields[1]), fields[2], fields[3]);
				default -> {
				}
			}
		}
	}

	private void observe(SoakJvm client, Set<String> view) {
		this.views.put(client.name(), view);
		this.armed.forEach((token, armed) -> {
			if (!armed.client().equals(client.name())) {
				return;
			}
			this.ledger.checked(Invariant.VIEW_NEVER_SHRINKS_WHILE_DEAF);
			if (!view.containsAll(armed.listed()) && this.armed.remove(token) != null) {
				this.ledger.violated(Invariant.VIEW_NEVER_SHRINKS_WHILE_DEAF,
						client.name() + " listed " + armed.listed() + " when cut off, now " + view);
			}
		});
	}

	private void failed(SoakJvm client, long startMillis, String target, String outcome) {
		this.ledger.calls(outcome, 1);
		if (!target.equals("-") && this.timeline.avoidable(client.name(), target, startMillis)) {
			this.ledger.violated(Invariant.NO_AVOIDABLE_CALL_FAILURE, String.format(
					"%s: call started %tT.%<tL failed (%s) at %s, deregistered before", client.name(), startMillis,
					outcome, target));
		}
	}

	@Override
	public void close() {
		this.poller.shutdownNow();
	}

}

package io.github.rpcdiscovery.soak.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What happened, on the wall clock the clients stamp their calls with: when etcd stopped listing an instance (as the
 * harness reads etcd itself) and when a client could not hear etcd (partitioned, paused, or no quorum). A failed call is one discovery
 * could have avoided when its instance had been gone for the propagation bound, counted from the later of the
 * instance going and the client hearing etcd again.
 */
final class Timeline {

	private final Map<String, List<long[]>> gone = new ConcurrentHashMap<>();

	private final Map<String, List<long[]>> deaf = new ConcurrentHashMap<>();

	private final long propagationMillis;

	Timeline(long propagationMillis) {
		this.propagationMillis = propagationMillis;
	}

	/** The instance at this address is not registered (etcd no longer lists it) from {@code fromMillis} on. */
	void instanceGone(String address, long fromMillis) {
		open(this.gone, address, fromMillis);
	}

	/** etcd lists the address again (a paused or cut-off server registered anew; rarely, a new one on the same port). */
	void instanceBack(String address, long atMillis) {
		close(this.gone, address, atMillis);
	}

	/** The client cannot hear etcd from then on, until {@link #end} of the window returned. */
	long[] clientDeaf(String client, long fromMillis) {
		return open(this.deaf, client, fromMillis);
	}

	/** Ends a window ({@link #clientDeaf}); overlapping causes of deafness each end their own. */
	static void end(long[] window, long atMillis) {
		synchronized (window) {
			window[1] = atMillis;
		}
	}

	/** Whether a call that started then, failed at that address, should not have been sent there. */
	boolean avoidable(String client, String address, long startMillis) {
		long heardSince = 0;
		for (long[] window : snapshot(this.deaf, client)) {
			if (window[0] <= startMillis && startMillis < window[1]) {
				return false;
			}
			if (window[1] <= startMillis) {
				heardSince = Math.max(heardSince, window[1]);
			}
		}
		for (long[] window : snapshot(this.gone, address)) {
			if (window[0] <= startMillis && startMillis < window[1]
					&& startMillis >= Math.max(window[0], heardSince) + this.propagationMillis) {
				return true;
			}
		}
		return false;
	}

	private static List<long[]> snapshot(Map<String, List<long[]>> windows, String key) {
		List<long[]> list = windows.getOrDefault(key, List.of());
		synchronized (list) {
			return list.stream().map((window) -> {
				synchronized (window) {
					return window.clone();
				}
			}).toList();
		}
	}

	private static long[] open(Map<String, List<long[]>> windows, String key, long from) {
		List<long[]> list = windows.computeIfAbsent(key, (k) -> new ArrayList<>());
		long[] window = { from, Long.MAX_VALUE };
		synchronized (list) {
			list.add(window);
		}
		return window;
	}

	private static void close(Map<String, List<long[]>> windows, String key, long at) {
		List<long[]> list = windows.get(key);
		if (list == null) {
			return;
		}
		synchronized (list) {
			for (long[] window : list) {
				if (window[1] == Long.MAX_VALUE) {
					window[1] = at;
				}
			}
		}
	}

}

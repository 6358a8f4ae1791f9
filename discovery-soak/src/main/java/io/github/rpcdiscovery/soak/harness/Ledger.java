package io.github.rpcdiscovery.soak.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters of a run: checks and violations per invariant (with the first violations spelled out), faults and
 * their recovery times per kind, and the clients' calls by outcome.
 */
final class Ledger {

	private final Map<Invariant, AtomicLong> checks = new EnumMap<>(Invariant.class);

	private final Map<Invariant, AtomicLong> violations = new EnumMap<>(Invariant.class);

	private final List<String> firstViolations = Collections.synchronizedList(new ArrayList<>());

	private final Map<FaultKind, List<Long>> recoveryMillis = new EnumMap<>(FaultKind.class);

	private final Map<String, Long> callsByClass = new TreeMap<>();

	Ledger() {
		for (Invariant invariant : Invariant.values()) {
			this.checks.put(invariant, new AtomicLong());
			this.violations.put(invariant, new AtomicLong());
		}
	}

	void checked(Invariant invariant) {
		checked(invariant, 1);
	}

	void checked(Invariant invariant, long count) {
		this.checks.get(invariant).addAndGet(count);
	}

	void violated(Invariant invariant, String detail) {
		this.violations.get(invariant).incrementAndGet();
		String line = String.format("%tT %s: %s", System.currentTimeMillis(), invariant, detail);
		System.out.println("VIOLATION " + line);
		if (this.firstViolations.size() < 50) {
			this.firstViolations.add(line);
		}
	}

	synchronized void recovered(FaultKind kind, long millis) {
		this.recoveryMillis.computeIfAbsent(kind, (k) -> new ArrayList<>()).add(millis);
	}

	synchronized void calls(String outcome, long count) {
		this.callsByClass.merge(outcome, count, Long::sum);
	}

	long checks(Invariant invariant) {
		return this.checks.get(invariant).get();
	}

	long violations(Invariant invariant) {
		return this.violations.get(invariant).get();
	}

	long totalViolations() {
		return this.violations.values().stream().mapToLong(AtomicLong::get).sum();
	}

	List<String> firstViolations() {
		return List.copyOf(this.firstViolations);
	}

	synchronized Map<FaultKind, List<Long>> recoveryMillis() {
		Map<FaultKind, List<Long>> copy = new EnumMap<>(FaultKind.class);
		this.recoveryMillis.forEach((kind, list) -> copy.put(kind, List.copyOf(list)));
		return copy;
	}

	synchronized Map<String, Long> callsByClass() {
		return new TreeMap<>(this.callsByClass);
	}

}

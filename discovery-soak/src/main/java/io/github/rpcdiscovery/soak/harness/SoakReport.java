package io.github.rpcdiscovery.soak.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The report of a run, as markdown tables under the command and seed that replay it. */
final class SoakReport {

	private SoakReport() {
	}

	static String render(SoakConfig config, Ledger ledger, Map<FaultKind, Integer> injected, int cycles,
			long elapsedSeconds, ResourceSampler resources) {
		StringBuilder out = new StringBuilder();
		out.append("Command: ").append(config.command()).append('\n');
		out.append("Seed: ").append(config.seed()).append('\n');
		out.append(String.format(
				"System: 3 etcd members, %d servers, %d clients x %d calls/s (retries on), lease TTL %ds; %d cycles, "
						+ "%d faults in %d s%n",
				config.servers(), config.clients(), config.rps(), config.ttlSeconds(), cycles,
				injected.values().stream().mapToInt(Integer::intValue).sum(), elapsedSeconds));
		out.append(String.format(
				"Bounds: views and keys settle within %d s of a cycle's last heal; a client may still call an instance "
						+ "up to %d s after etcd dropped it (or after the client hears etcd again)%n%n",
				config.convergence().toSeconds(), config.propagation().toSeconds()));
		List<List<Object>> faults = new ArrayList<>();
		Map<FaultKind, List<Long>> recovery = ledger.recoveryMillis();
		injected.forEach((kind, count) -> {
			long[] sorted = recovery.getOrDefault(kind, List.of()).stream().mapToLong(Long::longValue).sorted().toArray();
			faults.add(List.of(kind, count, percentile(sorted, 50), percentile(sorted, 99),
					(sorted.length > 0) ? sorted[sorted.length - 1] : "-"));
		});
		out.append(table(List.of("fault", "injected", "recovery p50 ms", "p99 ms", "max ms"), faults)).append('\n');
		List<List<Object>> invariants = new ArrayList<>();
		for (Invariant invariant : Invariant.values()) {
			invariants.add(List.of(invariant.description, ledger.checks(invariant), ledger.violations(invariant)));
		}
		out.append(table(List.of("invariant", "checks", "violations (goal 0)"), invariants)).append('\n');
		List<List<Object>> calls = new ArrayList<>();
		ledger.callsByClass().forEach((outcome, count) -> calls.add(List.of(outcome, count)));
		out.append(table(List.of("calls by outcome", "count"), calls)).append('\n');
		List<List<Object>> jvms = new ArrayList<>();
		resources.firstAndLast(1)
			.forEach((jvm, pair) -> jvms.add(List.of(jvm, pair[0], pair[1], ResourceSampler.growth(pair[0], pair[1]))));
		out.append(table(List.of("JVM", "first cycle", "last cycle", "grew"), jvms));
		if (!ledger.firstViolations().isEmpty()) {
			out.append("\nFirst violations:\n");
			ledger.firstViolations().forEach((line) -> out.append("- ").append(line).append('\n'));
		}
		return out.toString();
	}

	private static Object percentile(long[] sorted, int p) {
		if (sorted.length == 0) {
			return "-";
		}
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	private static String table(List<String> header, List<List<Object>> rows) {
		List<String[]> all = new ArrayList<>();
		all.add(header.toArray(String[]::new));
		rows.forEach((row) -> all.add(row.stream().map(String::valueOf).toArray(String[]::new)));
		int[] widths = new int[header.size()];
		all.forEach((row) -> Arrays.setAll(widths, (i) -> Math.max(widths[i], row[i].length())));
		StringBuilder out = new StringBuilder();
		for (int r = 0; r < all.size(); r++) {
			String[] row = all.get(r);
			out.append('|');
			for (int i = 0; i < widths.length; i++) {
				out.append(' ').append(String.format("%-" + widths[i] + "s", row[i])).append(" |");
			}
			out.append('\n');
			if (r == 0) {
				out.append('|');
				Arrays.stream(widths).forEach((width) -> out.append("-".repeat(width + 2)).append('|'));
				out.append('\n');
			}
		}
		return out.toString();
	}

}

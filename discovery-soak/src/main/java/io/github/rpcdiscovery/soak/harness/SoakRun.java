package io.github.rpcdiscovery.soak.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One soak run: starts the system, then cycle after cycle throws the schedule's faults (together), waits for their
 * heals, and at the quiet point that follows checks that the keys and every client's view settled within the bound;
 * samples every JVM's resources there. Ends after the configured time or number of faults, with the report.
 */
public final class SoakRun {

	/** The report and the number of invariant violations (goal 0). */
	public record Result(String report, long violations, int faults) {

	}

	private final SoakConfig config;

	private final Ledger ledger = new Ledger();

	private final Map<FaultKind, Integer> injected = new EnumMap<>(FaultKind.class);

	private final ResourceSampler resources = new ResourceSampler();

	private SoakRun(SoakConfig config) {
		this.config = config;
	}

	/** Runs with harness arguments ({@code seed=, seconds=, max-faults=, servers=, clients=, rps=}). */
	public static Result run(String... args) {
		return new SoakRun(SoakConfig.parse(args)).run();
	}

	private Result run() {
		System.out.println("soak: " + this.config.command());
		System.out.println("soak: seed " + this.config.seed() + " (pass --seed=" + this.config.seed() + " to replay)");
		Timeline timeline = new Timeline(this.config.propagation().toMillis());
		ExecutorService faults = Executors.newCachedThreadPool();
		try (SoakSystem system = new SoakSystem(this.config);
				ClientWatcher watcher = new ClientWatcher(system.clients(), timeline, this.ledger);
				EtcdTruth truth = new EtcdTruth(system.cluster().hosts(), SoakSystem.SERVICE, timeline)) {
			system.start();
			System.out.println("soak: system up in " + system.workDir() + ", etcd " + system.cluster().hosts());
			truth.start();
			watcher.start();
			FaultInjector injector = new FaultInjector(system, timeline, watcher, truth, this.config.ttlSeconds());
			FaultPlan plan = new FaultPlan(this.config.seed(), system.cluster().members().size(), this.config.servers(),
					this.config.clients());
			quietPoint(system, truth, watcher, List.of(), List.of(), Duration.ofSeconds(60));
			long start = System.nanoTime();
			int cycles = 0;
			int thrown = 0;
			while (System.nanoTime() - start < this.config.duration().toNanos() && thrown < this.config.maxFaults()) {
				List<Fault> cycle = plan.nextCycle();
				cycles++;
				thrown += cycle.size();
				System.out.printf("soak: cycle %d at %ds: %s%n", cycles, (System.nanoTime() - start) / 1_000_000_000,
						cycle);
				List<Long> heals = throwTogether(cycle, injector, faults);
				restartUnexpectedExits(system);
				quietPoint(system, truth, watcher, cycle, heals, this.config.convergence());
			}
			long elapsed = (System.nanoTime() - start) / 1_000_000_000;
			checkResourceGrowth();
			String report = SoakReport.render(this.config, this.ledger, this.injected, cycles, elapsed, this.resources);
			return new Result(report, this.ledger.totalViolations(), thrown);
		}
		finally {
			faults.shutdownNow();
		}
	}

	private List<Long> throwTogether(List<Fault> cycle, FaultInjector injector, ExecutorService pool) {
		List<Future<Long>> running = new ArrayList<>();
		for (Fault fault : cycle) {
			this.injected.merge(fault.kind(), 1, Integer::sum);
			running.add(pool.submit(() -> injector.run(fault)));
		}
		List<Long> heals = new ArrayList<>();
		for (int i = 0; i < running.size(); i++) {
			try {
				heals.add(running.get(i).get());
			}
			catch (ExecutionException ex) {
				// the harness could not inject or heal it (a fixture timed out): say so, the quiet point still checks
				System.out.println("soak: " + cycle.get(i) + " did not complete: " + ex.getCause());
				heals.add(System.currentTimeMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return heals;
	}

	private void restartUnexpectedExits(SoakSystem system) {
		for (SoakJvm jvm : system.servers()) {
			if (!jvm.isServing()) {
				System.out.println("soak: " + jvm.name() + " exited on its own; log: " + jvm.logFile());
				jvm.start(Duration.ofSeconds(90));
			}
		}
	}

	/**
	 * Waits until etcd lists exactly one key per serving server and every client lists what etcd lists; a violation
	 * for each part still wrong at the bound. Recovery time of each fault: from its heal to this point.
	 */
	private void quietPoint(SoakSystem system, EtcdTruth truth, ClientWatcher watcher, List<Fault> cycle,
			List<Long> heals, Duration bound) {
		long lastHeal = heals.stream().mapToLong(Long::longValue).max().orElse(System.currentTimeMillis());
		long deadline = lastHeal + bound.toMillis();
		String keysWrong;
		String viewsWrong;
		do {
			Map<String, String> registrations = truth.registrations();
			Set<String> serving = system.servingAddresses();
			keysWrong = (registrations == null) ? "etcd did not answer" : keysWrong(registrations, serving);
			viewsWrong = (registrations == null) ? "etcd did not answer" : viewsWrong(system, watcher, registrations);
			if (keysWrong == null && viewsWrong == null) {
				break;
			}
			pace();
		}
		while (System.currentTimeMillis() < deadline);
		long settled = System.currentTimeMillis();
		if (cycle.isEmpty()) {
			if (keysWrong != null || viewsWrong != null) {
				throw new IllegalStateException("the system did not settle before the first fault: " + keysWrong
						+ "; " + viewsWrong);
			}
		}
		else {
			this.ledger.checked(Invariant.ONE_KEY_PER_LIVE_INSTANCE);
			this.ledger.checked(Invariant.VIEW_EQUALS_ETCD_AFTER_HEAL);
			if (keysWrong != null) {
				this.ledger.violated(Invariant.ONE_KEY_PER_LIVE_INSTANCE, "after " + cycle + ": " + keysWrong);
			}
			if (viewsWrong != null) {
				this.ledger.violated(Invariant.VIEW_EQUALS_ETCD_AFTER_HEAL, "after " + cycle + ": " + viewsWrong);
			}
			if (keysWrong == null && viewsWrong == null) {
				for (int i = 0; i < cycle.size(); i++) {
					this.ledger.recovered(cycle.get(i).kind(), Math.max(0, settled - heals.get(i)));
				}
			}
		}
		system.servers().forEach(this.resources::sample);
		system.clients().forEach(this.resources::sample);
	}

	private static String keysWrong(Map<String, String> registrations, Set<String> serving) {
		List<String> values = new ArrayList<>(registrations.values());
		if (values.size() == serving.size() && new TreeSet<>(values).equals(new TreeSet<>(serving))) {
			return null;
		}
		return "etcd has " + registrations + ", serving " + new TreeSet<>(serving);
	}

	private static String viewsWrong(SoakSystem system, ClientWatcher watcher, Map<String, String> registrations) {
		Set<String> listed = new TreeSet<>(registrations.values());
		StringBuilder wrong = new StringBuilder();
		for (SoakJvm client : system.clients()) {
			Set<String> view = watcher.freshView(client);
			if (!listed.equals(view)) {
				wrong.append(client.name()).append(" lists ").append(view).append(" ");
			}
		}
		return wrong.isEmpty() ? null : wrong + "while etcd lists " + listed;
	}

	private void checkResourceGrowth() {
		this.resources.firstAndLast(3).forEach((jvm, pair) -> {
			this.ledger.checked(Invariant.NO_RESOURCE_GROWTH);
			String grew = ResourceSampler.growth(pair[0], pair[1]);
			if (!grew.isEmpty()) {
				this.ledger.violated(Invariant.NO_RESOURCE_GROWTH,
						jvm + " grew (" + grew + "): first " + pair[0] + ", last " + pair[1]);
			}
		});
	}

	/** The quiet point polls; 200 ms between polls keeps 2 cores for the system under soak. */
	private static void pace() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

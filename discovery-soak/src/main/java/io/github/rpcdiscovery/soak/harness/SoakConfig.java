package io.github.rpcdiscovery.soak.harness;

import java.time.Duration;

/**
 * One soak run's size and bounds.
 * @param seed the schedule's seed (printed; the same seed replays the same schedule)
 * @param duration how long faults are thrown (startup and the final quiet point come on top)
 * @param maxFaults stop after this many faults even if time is left
 * @param servers server JVMs
 * @param clients client JVMs
 * @param rps calls a second per client
 * @param ttlSeconds the servers' lease TTL
 * @param convergence how long after a cycle's last heal the views and keys may take to settle
 * @param propagation how long after a deregistration a (connected) client may still send a call there
 */
record SoakConfig(long seed, Duration duration, int maxFaults, int servers, int clients, int rps, int ttlSeconds,
		Duration convergence, Duration propagation) {

	static SoakConfig parse(String[] args) {
		long seed = System.nanoTime();
		long seconds = 60;
		int maxFaults = 10_000;
		int servers = 2;
		int clients = 1;
		int rps = 20;
		for (String arg : args) {
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			switch (pair[0]) {
				case "seed" -> seed = Long.parseLong(pair[1]);
				case "seconds" -> seconds = Long.parseLong(pair[1]);
				case "max-faults" -> maxFaults = Integer.parseInt(pair[1]);
				case "servers" -> servers = Integer.parseInt(pair[1]);
				case "clients" -> clients = Integer.parseInt(pair[1]);
				case "rps" -> rps = Integer.parseInt(pair[1]);
				default -> throw new IllegalArgumentException("unknown argument " + arg
						+ " (seed, seconds, max-faults, servers, clients, rps)");
			}
		}
		return new SoakConfig(seed, Duration.ofSeconds(seconds), maxFaults, servers, clients, rps, 4,
				Duration.ofSeconds(20), Duration.ofSeconds(8));
	}

	String command() {
		return String.format("discovery-soak/soak.sh --seed=%d --seconds=%d --max-faults=%d --servers=%d --clients=%d --rps=%d",
				this.seed, this.duration.toSeconds(), this.maxFaults, this.servers, this.clients, this.rps);
	}

}

package io.github.rpcdiscovery.balancer;

import java.util.Locale;
import java.util.random.RandomGenerator;

/** How a node is chosen; every policy skips ejected nodes. Written in configuration as round-robin, random or p2c. */
public enum BalancingPolicy {

	/** Each node in turn (Spring Cloud's default). */
	ROUND_ROBIN,

	/** A uniformly random node. */
	RANDOM,

	/** go-zero's power of two choices over a decaying average of latency and success (p2c_ewma). */
	P2C;

	public Picker newPicker(NanoClock clock, RandomGenerator random) {
		return switch (this) {
			case ROUND_ROBIN -> new RoundRobinPicker(clock, random.nextInt(1000));
			case RANDOM -> new RandomPicker(clock, random);
			case P2C -> new P2cEwmaPicker(clock, random);
		};
	}

	/** The name as written in configuration, e.g. {@code round-robin}. */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}

package io.github.rpcdiscovery.balancer;

/** Hears when a node is ejected and when it answers again, to log the start and the end of an outage. */
public interface EjectionListener {

	EjectionListener NONE = new EjectionListener() {
	};

	/**
	 * A node was ejected.
	 * @param node the node
	 * @param cause what ended it: a refused connection, or the last of several failures
	 * @param ejections how many times in a row it has been ejected (1 = the outage starts now)
	 * @param nanos how long it stays ejected
	 */
	default void ejected(NodeStats node, Outcome cause, int ejections, long nanos) {
	}

	/**
	 * A node answered a probe after it had been ejected.
	 * @param node the node
	 * @param outageNanos how long since its first ejection
	 */
	default void readmitted(NodeStats node, long outageNanos) {
	}

}

package io.github.rpcdiscovery.soak.harness;

/** The invariants the soak checks, each counted on its own. */
enum Invariant {

	/** after the faults of a cycle heal, every client's view equals etcd's live registrations within the bound */
	VIEW_EQUALS_ETCD_AFTER_HEAL("client view = etcd's registrations, within the convergence bound after a heal"),
	/** while a client cannot hear etcd, its view never loses an instance it listed */
	VIEW_NEVER_SHRINKS_WHILE_DEAF("view never shrinks while etcd is unreachable from the client"),
	/** at every quiet point, exactly one key per live server instance */
	ONE_KEY_PER_LIVE_INSTANCE("exactly one key per live server instance at quiet points (no leak, no duplicate)"),
	/** no call failed at an instance that had been deregistered (for the propagation bound) before it started */
	NO_AVOIDABLE_CALL_FAILURE("no caller-visible failure at an instance deregistered before the call started"),
	/** threads, file descriptors, etcd connections and heap after GC stay flat per JVM */
	NO_RESOURCE_GROWTH("threads, FDs, etcd connections, heap after GC flat from first to last cycle");

	final String description;

	Invariant(String description) {
		this.description = description;
	}

}

package io.github.rpcdiscovery.soak.harness;

/**
 * One fault of the schedule: its kind, the index of what it hits (etcd member, client or server; the leader is looked
 * up when the fault starts) and how long it holds before it heals.
 */
record Fault(FaultKind kind, int target, int holdMillis) {

	@Override
	public String toString() {
		return this.kind + "#" + this.target + (this.holdMillis > 0 ? " " + this.holdMillis + "ms" : "");
	}

}

package io.github.rpcdiscovery.soak.harness;

/** The faults the soak throws, each with what it hits and how long it may last (before its heal). */
enum FaultKind {

	/** kill -9 of a random etcd member, restarted on its data dir after the hold */
	ETCD_MEMBER_KILL(Scope.ETCD, 1_000, 5_000),
	/** kill -9 of the current leader, restarted after the hold */
	ETCD_LEADER_KILL(Scope.ETCD, 1_000, 5_000),
	/** kill -9 of two of three members: no quorum until they return */
	ETCD_QUORUM_LOSS(Scope.ETCD, 2_000, 8_000),
	/** a member killed, removed, its data dir wiped, added again and started empty */
	ETCD_MEMBER_WIPE(Scope.ETCD, 0, 0),
	/** SIGSTOP of an etcd member, SIGCONT after the hold */
	ETCD_MEMBER_PAUSE(Scope.ETCD, 1_000, 6_000),
	/** one client blackholed from etcd while history is churned, compacted and defragmented */
	COMPACTION_WHILE_CLIENT_PARTITIONED(Scope.ETCD, 3_000, 7_000),
	/** one client blackholed from etcd */
	CLIENT_PARTITION(Scope.CLIENT, 2_000, 12_000),
	/** SIGSTOP of a client JVM */
	CLIENT_PAUSE(Scope.CLIENT, 1_000, 6_000),
	/** one server blackholed from etcd (it keeps serving; its lease may expire) */
	SERVER_PARTITION(Scope.SERVER, 2_000, 12_000),
	/** SIGSTOP of a server JVM for longer than its lease TTL */
	SERVER_PAUSE_PAST_TTL(Scope.SERVER, 1_000, 4_000),
	/** SIGTERM of a server (it deregisters), a new process in its place */
	SERVER_GRACEFUL_RESTART(Scope.SERVER, 0, 0),
	/** kill -9 of a server (its key lives until its lease expires), a new process in its place */
	SERVER_KILL_RESTART(Scope.SERVER, 0, 0);

	enum Scope {

		ETCD, CLIENT, SERVER

	}

	final Scope scope;

	final int minHoldMillis;

	final int maxHoldMillis;

	FaultKind(Scope scope, int minHoldMillis, int maxHoldMillis) {
		this.scope = scope;
		this.minHoldMillis = minHoldMillis;
		this.maxHoldMillis = maxHoldMillis;
	}

}

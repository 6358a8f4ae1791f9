package io.github.rpcdiscovery.soak.harness;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;

/**
 * Applies one fault, holds it, heals it, and tells when it healed. It records in the {@link Timeline} what the
 * invariants need to know (an instance gone, a client deaf) and arms the no-shrink check of a client cut off from
 * etcd once the cut has settled (events already on the wire may still land in its first second), for the instances
 * etcd still lists.
 */
final class FaultInjector {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private static final long SETTLE_MILLIS = 1_000;

	private final SoakSystem system;

	private final Timeline timeline;

	private final ClientWatcher watcher;

	private final EtcdTruth truth;

	private final long ttlMillis;

	FaultInjector(SoakSystem system, Timeline timeline, ClientWatcher watcher, EtcdTruth truth, int ttlSeconds) {
		this.system = system;
		this.timeline = timeline;
		this.watcher = watcher;
		this.truth = truth;
		this.ttlMillis = ttlSeconds * 1000L;
	}

	/** Runs the fault to its heal; returns the wall-clock time of the heal. */
	long run(Fault fault) {
		List<EtcdProcess> members = this.system.cluster().members();
		switch (fault.kind()) {
			case ETCD_MEMBER_KILL -> killAndRestart(members.get(fault.target()), fault.holdMillis());
			case ETCD_LEADER_KILL -> killAndRestart(this.system.cluster().leader(), fault.holdMillis());
			case ETCD_QUORUM_LOSS -> quorumLoss(members.get(fault.target()),
					members.get((fault.target() + 1) % members.size()), fault.holdMillis());
			case ETCD_MEMBER_WIPE -> this.system.cluster().replaceWithEmptyMember(members.get(fault.target()));
			case ETCD_MEMBER_PAUSE -> {
				EtcdProcess member = members.get(fault.target());
				member.pause();
				hold(fault.holdMillis());
				member.resume();
			}
			case COMPACTION_WHILE_CLIENT_PARTITIONED -> compactionWhilePartitioned(
					this.system.clients().get(fault.target()), fault.holdMillis());
			case CLIENT_PARTITION -> partitionClient(this.system.clients().get(fault.target()), fault.holdMillis(),
					() -> {
					});
			case CLIENT_PAUSE -> {
				SoakJvm client = this.system.clients().get(fault.target());
				long[] deaf = this.timeline.clientDeaf(client.name(), now());
				client.pause();
				hold(fault.holdMillis());
				client.resume();
				Timeline.end(deaf, now());
			}
			case SERVER_PARTITION -> {
				SoakJvm server = this.system.servers().get(fault.target());
				server.partition();
				hold(fault.holdMillis());
				server.heal();
			}
			case SERVER_PAUSE_PAST_TTL -> {
				SoakJvm server = this.system.servers().get(fault.target());
				server.pause();
				hold(this.ttlMillis + fault.holdMillis());
				server.resume();
			}
			case SERVER_GRACEFUL_RESTART -> {
				SoakJvm server = this.system.servers().get(fault.target());
				server.stop();
				server.start(START_TIMEOUT);
			}
			case SERVER_KILL_RESTART -> {
				SoakJvm server = this.system.servers().get(fault.target());
				server.kill();
				server.start(START_TIMEOUT);
			}
		}
		return now();
	}

	private void killAndRestart(EtcdProcess member, int holdMillis) {
		member.kill();
		hold(holdMillis);
		member.start();
	}

	private void quorumLoss(EtcdProcess first, EtcdProcess second, int holdMillis) {
		// what etcd lists right before: a client that had not yet heard of an earlier deletion may still drop it
		Set<String> registered = this.truth.addresses();
		first.kill();
		second.kill();
		// nothing can be written or expire without a quorum: every client's view must hold
		List<long[]> deaf = this.system.clients()
			.stream()
			.map((client) -> this.timeline.clientDeaf(client.name(), now()))
			.toList();
		hold(SETTLE_MILLIS);
		List<Object> checks = this.system.clients()
			.stream()
			.map((client) -> this.watcher.arm(client, registered))
			.toList();
		hold(holdMillis);
		first.start();
		// a quorum again: etcd moves on, and may commit what it accepted just before the loss (a revoke that timed
		// out on the caller's side, say), so clients hear changes again from here on
		checks.forEach(this.watcher::disarm);
		deaf.forEach((window) -> Timeline.end(window, now()));
		second.start();
	}

	private void compactionWhilePartitioned(SoakJvm client, int holdMillis) {
		partitionClient(client, holdMillis, () -> {
			// history the cut-off client misses, then compacted away under it, then the backend defragmented
			EtcdCtl etcd = this.system.cluster().etcdctl();
			for (int i = 0; i < 20; i++) {
				etcd.put("soak-churn/" + (i % 5), Integer.toString(i));
			}
			etcd.compact(etcd.revision());
			etcd.defrag();
		});
	}

	private void partitionClient(SoakJvm client, int holdMillis, Runnable whileCut) {
		Set<String> registered = this.truth.addresses();
		client.partition();
		long[] deaf = this.timeline.clientDeaf(client.name(), now());
		hold(SETTLE_MILLIS);
		Object check = this.watcher.arm(client, registered);
		long cutAt = now();
		whileCut.run();
		hold(Math.max(0, holdMillis - (now() - cutAt)));
		this.watcher.disarm(check);
		client.heal();
		Timeline.end(deaf, now());
	}

	/** A fault lasts as long as the schedule says: holding it is the point, not waiting for a condition. */
	private static void hold(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static long now() {
		return System.currentTimeMillis();
	}

}

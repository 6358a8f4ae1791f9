package io.github.rpcdiscovery.soak.harness;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The seeded random schedule: cycle after cycle, one to three faults that overlap (they start together and heal on
 * their own clocks). The same seed and system size give the same cycles, so any run replays. At most one etcd fault a
 * cycle (two would cost the quorum the schedule did not ask to lose), every server and client hit at most once, and
 * one server left alone so that calls keep a place to go.
 */
final class FaultPlan {

	private static final FaultKind[] KINDS = FaultKind.values();

	private final Random random;

	private final int members;

	private final int servers;

	private final int clients;

	FaultPlan(long seed, int members, int servers, int clients) {
		this.random = new Random(seed);
		this.members = members;
		this.servers = servers;
		this.clients = clients;
	}

	List<Fault> nextCycle() {
		int wanted = 1 + this.random.nextInt(3);
		List<Fault> cycle = new ArrayList<>();
		Set<Integer> serversHit = new HashSet<>();
		Set<Integer> clientsHit = new HashSet<>();
		boolean etcdHit = false;
		for (int attempt = 0; cycle.size() < wanted && attempt < 20; attempt++) {
			FaultKind kind = KINDS[this.random.nextInt(KINDS.length)];
			int hold = kind.minHoldMillis + ((kind.maxHoldMillis > kind.minHoldMillis)
					? this.random.nextInt(kind.maxHoldMillis - kind.minHoldMillis) : 0);
			switch (kind.scope) {
				case ETCD -> {
					if (etcdHit || (kind == FaultKind.COMPACTION_WHILE_CLIENT_PARTITIONED
							&& clientsHit.size() == this.clients)) {
						continue;
					}
					etcdHit = true;
					int target = this.random.nextInt(this.members);
					if (kind == FaultKind.COMPACTION_WHILE_CLIENT_PARTITIONED) {
						target = pick(this.clients, clientsHit);
					}
					cycle.add(new Fault(kind, target, hold));
				}
				case CLIENT -> {
					if (clientsHit.size() < this.clients) {
						cycle.add(new Fault(kind, pick(this.clients, clientsHit), hold));
					}
				}
				case SERVER -> {
					if (serversHit.size() < this.servers - 1) {
						cycle.add(new Fault(kind, pick(this.servers, serversHit), hold));
					}
				}
			}
		}
		return cycle;
	}

	private int pick(int count, Set<Integer> taken) {
		int index;
		do {
			index = this.random.nextInt(count);
		}
		while (taken.contains(index));
		taken.add(index);
		return index;
	}

}

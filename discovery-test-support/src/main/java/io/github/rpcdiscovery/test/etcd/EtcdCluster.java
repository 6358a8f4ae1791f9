package io.github.rpcdiscovery.test.etcd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

/**
 * A multi-member etcd cluster of real processes on loopback, for leader loss and quorum loss. All members are started
 * together (they need each other to elect a leader).
 */
public final class EtcdCluster implements AutoCloseable {

	private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\":(\\d+)");

	private static final Pattern LEADER = Pattern.compile("\"leader\":(\\d+)");

	private final List<EtcdProcess> members;

	private final Path workDir;

	private EtcdCluster(List<EtcdProcess> members, Path workDir) {
		this.members = members;
		this.workDir = workDir;
	}

	public static EtcdCluster start(int size, String... extraArgs) {
		Path workDir = EtcdProcess.newWorkDir();
		List<EtcdProcess> members = new ArrayList<>();
		for (int i = 1; i <= size; i++) {
			members.add(new EtcdProcess("member" + i, workDir, List.of(extraArgs)));
		}
		String initialCluster = members.stream()
			.map((member) -> member.name() + "=" + member.peerUrl())
			.collect(Collectors.joining(","));
		String token = "rpc-discovery-test-cluster-" + members.get(0).clientPort();
		members.forEach((member) -> member.joinCluster(initialCluster, token));
		EtcdCluster cluster = new EtcdCluster(members, workDir);
		members.forEach(EtcdProcess::launch);
		members.forEach(EtcdProcess::awaitServing);
		return cluster;
	}

	public List<EtcdProcess> members() {
		return this.members;
	}

	public EtcdProcess member(int index) {
		return this.members.get(index);
	}

	/** {@code 127.0.0.1:p1,127.0.0.1:p2,...} as go-zero's {@code Etcd.Hosts} would list them */
	public List<String> hosts() {
		return this.members.stream().map(EtcdProcess::hostAndPort).toList();
	}

	/** The current leader, asked of a live member. */
	public EtcdProcess leader() {
		return Awaitility.await("a leader").until(this::findLeader, (leader) -> leader != null);
	}

	private EtcdProcess findLeader() {
		for (EtcdProcess member : this.members) {
			if (!member.isAlive()) {
				continue;
			}
			String status;
			try {
				status = member.etcdctl().run("endpoint", "status", "-w", "json");
			}
			catch (AssertionError ex) {
				continue;
			}
			Matcher leader = LEADER.matcher(status);
			if (!leader.find() || leader.group(1).equals("0")) {
				continue;
			}
			for (EtcdProcess candidate : this.members) {
				if (candidate.isAlive() && leader.group(1).equals(memberId(candidate))) {
					return candidate;
				}
			}
		}
		return null;
	}

	private static String memberId(EtcdProcess member) {
		try {
			Matcher matcher = MEMBER_ID.matcher(member.etcdctl().run("endpoint", "status", "-w", "json"));
			return matcher.find() ? matcher.group(1) : null;
		}
		catch (AssertionError ex) {
			return null;
		}
	}

	/**
	 * Replaces a member by an empty one with the same name and URLs, as an operator does after losing a disk: kill it,
	 * {@code member remove} it, wipe its data dir, {@code member add} it again and start it. The other members must
	 * hold a quorum.
	 */
	public void replaceWithEmptyMember(EtcdProcess member) {
		member.kill();
		EtcdCtl live = etcdctl();
		String id = live.run("member", "list")
			.lines()
			.filter((line) -> line.contains(", " + member.name() + ", ") || line.contains(", , " + member.peerUrl()))
			.map((line) -> line.substring(0, line.indexOf(',')).strip())
			.findFirst()
			.orElseThrow(() -> new AssertionError(member.name() + " is not in the member list"));
		// the killed member may have been the leader: the others need an election first
		Awaitility.await(member.name() + " removed")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> changeMembership(live, "member not found", "remove", id));
		member.wipeDataToRejoin();
		// etcd refuses to add a voter until the others have been connected for 5 s ("unhealthy cluster")
		Awaitility.await(member.name() + " added again")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> changeMembership(live, "already exists", "add", member.name(),
					"--peer-urls=" + member.peerUrl()));
		member.start();
	}

	/** One {@code etcdctl member ...}; true when done now or by an earlier attempt that timed out on our side. */
	private static boolean changeMembership(EtcdCtl live, String doneBefore, String... args) {
		List<String> command = new ArrayList<>(List.of("member"));
		command.addAll(List.of(args));
		try {
			live.run(command.toArray(String[]::new));
			return true;
		}
		catch (AssertionError ex) {
			// "doneBefore": an earlier attempt was applied after etcdctl gave up waiting for it
			return String.valueOf(ex.getMessage()).contains(doneBefore);
		}
	}

	/** etcdctl against every live member. */
	public EtcdCtl etcdctl() {
		return new EtcdCtl(this.members.stream()
			.filter(EtcdProcess::isAlive)
			.map(EtcdProcess::hostAndPort)
			.collect(Collectors.joining(",")));
	}

	@Override
	public void close() {
		this.members.forEach(EtcdProcess::close);
		EtcdProcess.deleteRecursively(this.workDir);
	}

}

package io.github.rpcdiscovery.etcd.registration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rpcdiscovery.test.etcd.EtcdCtl;

/**
 * What is in etcd, read with {@code etcdctl} (independently of the code under test): keys and values under a prefix,
 * the lease a key is on, the leases etcd holds and their TTLs.
 */
final class EtcdState {

	private static final Pattern LEASE = Pattern.compile("\"lease\":(-?\\d+)");

	private static final Pattern TTL = Pattern.compile("granted with TTL\\((\\d+)s\\), remaining\\((-?\\d+)s\\)");

	private final EtcdCtl etcdctl;

	EtcdState(EtcdCtl etcdctl) {
		this.etcdctl = etcdctl;
	}

	/** Keys and values under a prefix, in key order. */
	Map<String, String> entries(String prefix) {
		List<String> lines = withoutEtcdctlLogs(this.etcdctl.run("get", prefix, "--prefix"));
		Map<String, String> entries = new LinkedHashMap<>();
		for (int i = 0; i + 1 < lines.size(); i += 2) {
			entries.put(lines.get(i), lines.get(i + 1));
		}
		return entries;
	}

	/** The lease id (signed, as etcd's JSON has it) a key is on; 0 for none. */
	long leaseOf(String key) {
		Matcher matcher = LEASE.matcher(this.etcdctl.run("get", key, "-w", "json"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	/** {@code etcdctl lease list}: the ids etcd prints, in hex. */
	List<String> leasesHex() {
		return withoutEtcdctlLogs(this.etcdctl.run("lease", "list")).stream()
			.filter((line) -> line.matches("[0-9a-f]+"))
			.toList();
	}

	/** etcdctl writes its own retry warnings (JSON lines) into the same stream as the answer. */
	private static List<String> withoutEtcdctlLogs(String output) {
		return output.lines().filter((line) -> !line.startsWith("{\"level\"") && !line.isEmpty()).toList();
	}

	/** The granted TTL and the seconds left, or {@code null} if the lease is gone. */
	long[] ttl(long leaseId) {
		Matcher matcher = TTL.matcher(this.etcdctl.run("lease", "timetolive", Long.toHexString(leaseId)));
		return matcher.find() ? new long[] { Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)) }
				: null;
	}

}

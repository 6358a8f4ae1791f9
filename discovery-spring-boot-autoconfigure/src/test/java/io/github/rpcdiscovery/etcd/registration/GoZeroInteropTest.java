package io.github.rpcdiscovery.etcd.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our registrations are byte for byte what a go-zero server writes, as go-zero's format is documented (go-zero's
 * {@code core/discov}, /work/shared/reference/go-zero-discovery.md §1 and §10): the key is {@code <Key>/} followed by
 * the signed decimal of the etcd lease id (or by {@code Etcd.ID} when set), the value is the bare UTF-8
 * {@code host:port}, the key is on a lease granted with a TTL of 10 s, nothing else of ours is under {@code <Key>/},
 * and deregistration revokes the lease. Every expectation is written from that document and read back from etcd with
 * etcdctl ({@code get -w json}: keys and values in base64, the lease id as etcd stores it), never through the code
 * under test.
 */
class GoZeroInteropTest {

	/** One key-value as etcd's JSON gives it: the exact bytes in base64, and the lease id. */
	private record RawEntry(String keyBase64, String valueBase64, long lease) {

		static RawEntry expected(String key, String value, long lease) {
			return new RawEntry(base64(key), base64(value), lease);
		}

		private static String base64(String text) {
			return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
		}

		String value() {
			return new String(Base64.getDecoder().decode(this.valueBase64), StandardCharsets.UTF_8);
		}

	}

	private static final Pattern KV = Pattern
		.compile("\\{\"key\":\"([^\"]*)\"[^{}]*?\"value\":\"([^\"]*)\"(?:,\"lease\":(-?\\d+))?[^{}]*}");

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	@Test
	void theDocumentedExampleIsTheDecimalOfTheHexLeaseId() {
		// reference §1: "lease 694d7c2b5a7e1f0a granted" -> key user.rpc/7587857472832806666
		assertThat(Long.toString(Long.parseUnsignedLong("694d7c2b5a7e1f0a", 16))).isEqualTo("7587857472832806666");
	}

	@Test
	void ourEntriesAreByteForByteWhatAGoZeroServerWrites() {
		EtcdCtl etcdctl = etcd.process().etcdctl();
		// a go-zero server, reproduced with etcdctl as the reference does: grant 10, put <key>/<decimal lease>
		long goZeroLease = etcdctl.grantLease(10);
		etcdctl.put("user.rpc/" + goZeroLease, "127.0.0.5:8080", goZeroLease);

		try (EtcdConnections connections = new EtcdConnections()) {
			EtcdServiceRegistry registry = new EtcdServiceRegistry(connections,
					EtcdCluster.of(List.of(etcd.hostAndPort())), false);
			registry.register(registration("user.rpc", 0, "127.0.0.41"));
			registry.register(registration("user.rpc", 7, "127.0.0.43"));
			registry.register(registration("user.rpc2", 0, "127.0.0.42"));

			List<RawEntry> userRpc = rawEntries(etcdctl, "user.rpc/");
			long ourLease = leaseOfValue(userRpc, "127.0.0.41:8080");
			long fixedIdLease = leaseOfValue(userRpc, "127.0.0.43:8080");
			assertThat(userRpc).containsExactlyInAnyOrder(
					RawEntry.expected("user.rpc/" + goZeroLease, "127.0.0.5:8080", goZeroLease),
					RawEntry.expected("user.rpc/" + ourLease, "127.0.0.41:8080", ourLease),
					RawEntry.expected("user.rpc/7", "127.0.0.43:8080", fixedIdLease));
			long neighbourLease = leaseOfValue(rawEntries(etcdctl, "user.rpc2/"), "127.0.0.42:8080");
			assertThat(rawEntries(etcdctl, "user.rpc2/"))
				.containsExactly(RawEntry.expected("user.rpc2/" + neighbourLease, "127.0.0.42:8080", neighbourLease));

			// live leases, granted as go-zero grants them (Grant(10)), each its own
			List<Long> leases = leasesEtcdHolds(etcdctl);
			assertThat(List.of(ourLease, fixedIdLease, neighbourLease)).doesNotHaveDuplicates()
				.doesNotContain(0L, goZeroLease)
				.allSatisfy((lease) -> {
					assertThat(leases).contains(lease);
					assertThat(etcdctl.run("lease", "timetolive", Long.toHexString(lease)))
						.contains("granted with TTL(10s)");
				});

			registry.close();
			// deregistration is a revoke, not a delete: the leases are gone, and the go-zero server's entry stays
			assertThat(leasesEtcdHolds(etcdctl)).containsExactly(goZeroLease);
		}
		assertThat(rawEntries(etcdctl, "user.rpc/"))
			.containsExactly(RawEntry.expected("user.rpc/" + goZeroLease, "127.0.0.5:8080", goZeroLease));
		assertThat(rawEntries(etcdctl, "user.rpc2/")).isEmpty();
	}

	private static EtcdRegistration registration(String key, long id, String host) {
		return new EtcdRegistration(key, id, Duration.ofSeconds(10), Map.of("scheme", "http"),
				new HostAndPort(host, 8080));
	}

	/** {@code etcdctl get <prefix> --prefix -w json}: every key-value under the prefix, bytes untouched. */
	private static List<RawEntry> rawEntries(EtcdCtl etcdctl, String prefix) {
		String json = etcdctl.run("get", prefix, "--prefix", "-w", "json");
		List<RawEntry> entries = new ArrayList<>();
		Matcher matcher = KV.matcher(json);
		while (matcher.find()) {
			long lease = (matcher.group(3) != null) ? Long.parseLong(matcher.group(3)) : 0;
			entries.add(new RawEntry(matcher.group(1), matcher.group(2), lease));
		}
		// every key-value was read (etcd leaves out a zero count)
		assertThat(entries.isEmpty() ? !json.contains("\"kvs\"") : json.contains("\"count\":" + entries.size()))
			.as(json)
			.isTrue();
		return entries;
	}

	private static long leaseOfValue(List<RawEntry> entries, String value) {
		return entries.stream()
			.filter((entry) -> entry.value().equals(value))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no key holds " + value + " in " + entries))
			.lease();
	}

	/** {@code etcdctl lease list}, whose ids are hex, as etcd's signed 64-bit ids. */
	private static List<Long> leasesEtcdHolds(EtcdCtl etcdctl) {
		return etcdctl.run("lease", "list")
			.lines()
			.filter((line) -> line.matches("[0-9a-f]+"))
			.map((hex) -> Long.parseUnsignedLong(hex, 16))
			.toList();
	}

}

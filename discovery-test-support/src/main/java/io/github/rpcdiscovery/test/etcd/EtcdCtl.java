package io.github.rpcdiscovery.test.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code etcdctl} (v3 API) against given endpoints: how the tests write keys exactly as a go-zero server does (lease
 * grant, put with the lease, keep-alive, revoke), independently of the code under test.
 */
public final class EtcdCtl {

	private static final Pattern LEASE_ID = Pattern.compile("lease ([0-9a-f]+) granted");

	private final String endpoints;

	private final List<String> globalArgs = new ArrayList<>();

	public EtcdCtl(String endpoints) {
		this.endpoints = endpoints;
	}

	/** Adds global flags, e.g. {@code --user=root:pw} or TLS flags. */
	public EtcdCtl with(String... args) {
		EtcdCtl copy = new EtcdCtl(this.endpoints);
		copy.globalArgs.addAll(this.globalArgs);
		copy.globalArgs.addAll(List.of(args));
		return copy;
	}

	/** Runs {@code etcdctl <args>} and returns its standard output; fails on a non-zero exit. */
	public String run(String... args) {
		List<String> command = new ArrayList<>(List.of(EtcdBinary.etcdctl().toString(), "--endpoints=" + this.endpoints,
				"--command-timeout=5s", "--dial-timeout=2s"));
		command.addAll(this.globalArgs);
		command.addAll(List.of(args));
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			builder.environment().put("ETCDCTL_API", "3");
			Process process = builder.start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("etcdctl timed out: " + command);
			}
			String text = new String(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new AssertionError("etcdctl failed (" + process.exitValue() + "): " + command + "\n" + text);
			}
			return text;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** {@code lease grant <ttl>}: returns the lease id (etcdctl prints it in hex). */
	public long grantLease(long ttlSeconds) {
		Matcher matcher = LEASE_ID.matcher(run("lease", "grant", Long.toString(ttlSeconds)));
		if (!matcher.find()) {
			throw new AssertionError("no lease id in etcdctl's answer");
		}
		return Long.parseUnsignedLong(matcher.group(1), 16);
	}

	public void put(String key, String value) {
		run("put", key, value);
	}

	/** {@code put <key> <value> --lease=<hex id>} */
	public void put(String key, String value, long leaseId) {
		run("put", key, value, "--lease=" + Long.toHexString(leaseId));
	}

	public void delete(String key) {
		run("del", key);
	}

	public void revoke(long leaseId) {
		run("lease", "revoke", Long.toHexString(leaseId));
	}

	/** {@code get <prefix> --prefix}: keys and values, alternating lines. */
	public List<String> getPrefix(String prefix) {
		String out = run("get", prefix, "--prefix");
		return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
	}

	/** Keys under a prefix. */
	public List<String> keys(String prefix) {
		String out = run("get", prefix, "--prefix", "--keys-only");
		return out.lines().filter((line) -> !line.isBlank()).toList();
	}

	/** The cluster's current revision (the header of a read of any key; a NUL byte cannot be a process argument). */
	public long revision() {
		String answer = run("get", "rpc-discovery/revision-probe", "-w", "json");
		Matcher matcher = Pattern.compile("\"revision\":(\\d+)").matcher(answer);
		if (!matcher.find()) {
			throw new AssertionError("no revision in etcdctl's answer");
		}
		return Long.parseLong(matcher.group(1));
	}

	/** Defragments the backend of every endpoint given. */
	public void defrag() {
		run("defrag");
	}

	/** Compacts history up to a revision (physically). */
	public void compact(long revision) {
		run("compaction", Long.toString(revision), "--physical");
	}

}

package io.github.rpcdiscovery.soak.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Samples each JVM at every quiet point: live threads and open file descriptors from {@code /proc/<pid>} (the harness
 * owns the processes), established connections to its own etcd proxies (its jetcd/gRPC channels) from
 * {@code /proc/net/tcp}, and its heap after a full GC from {@code /soak/jvm}. Keeps the first and the last sample of
 * each process; growth beyond the stated slack is a violation.
 */
final class ResourceSampler {

	/** Slack allowed from the first to the last sample of one process. */
	static final int THREAD_SLACK = 10;

	static final int FD_SLACK = 30;

	static final int ETCD_CONNECTION_SLACK = 3;

	static final double HEAP_GROWTH = 1.5;

	record Sample(int threads, int fds, int etcdConnections, long heapAfterGc) {

		@Override
		public String toString() {
			return String.format("%d thr, %d fd, %d etcd conn, %.1f MB heap", this.threads, this.fds,
					this.etcdConnections, this.heapAfterGc / 1048576.0);
		}

	}

	/** Samples of a process skipped before its "first": its pools fill up under the load of the first cycles. */
	static final int WARM_UP_SAMPLES = 2;

	private final Map<String, Integer> seen = new LinkedHashMap<>();

	private final Map<String, Sample[]> firstAndLast = new LinkedHashMap<>();

	private final Map<String, Integer> samples = new LinkedHashMap<>();

	void sample(SoakJvm jvm) {
		if (!jvm.isServing()) {
			return;
		}
		long pid = jvm.pid();
		String key = jvm.name() + " (pid " + pid + ")";
		if (this.seen.merge(key, 1, Integer::sum) <= WARM_UP_SAMPLES) {
			return;
		}
		Sample sample;
		try {
			sample = new Sample(threads(pid), fds(pid), etcdConnections(pid, jvm.proxyPorts()), heapAfterGc(jvm));
		}
		catch (IOException | RuntimeException ex) {
			return; // exiting
		}
		Sample[] pair = this.firstAndLast.computeIfAbsent(key, (k) -> new Sample[] { sample, sample });
		pair[1] = sample;
		this.samples.merge(key, 1, Integer::sum);
	}

	/** Each process sampled at least {@code minSamples} times, first and last sample. */
	Map<String, Sample[]> firstAndLast(int minSamples) {
		Map<String, Sample[]> result = new LinkedHashMap<>();
		this.firstAndLast.forEach((key, pair) -> {
			if (this.samples.get(key) >= minSamples) {
				result.put(key, pair);
			}
		});
		return result;
	}

	static String growth(Sample first, Sample last) {
		StringBuilder grew = new StringBuilder();
		if (last.threads() > first.threads() + THREAD_SLACK) {
			grew.append("threads ");
		}
		if (last.fds() > first.fds() + FD_SLACK) {
			grew.append("fds ");
		}
		if (last.etcdConnections() > first.etcdConnections() + ETCD_CONNECTION_SLACK) {
			grew.append("etcd-connections ");
		}
		if (last.heapAfterGc() > first.heapAfterGc() * HEAP_GROWTH) {
			grew.append("heap ");
		}
		return grew.toString().strip();
	}

	private static int threads(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("Threads:")) {
				return Integer.parseInt(line.substring(8).strip());
			}
		}
		throw new IOException("no Threads line");
	}

	private static int fds(long pid) throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			return (int) fds.count();
		}
	}

	private static int etcdConnections(long pid, Set<Integer> proxyPorts) throws IOException {
		Set<String> inodes = new HashSet<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			fds.forEach((fd) -> {
				try {
					String link = Files.readSymbolicLink(fd).toString();
					if (link.startsWith("socket:[")) {
						inodes.add(link.substring(8, link.length() - 1));
					}
				}
				catch (IOException ex) {
					// closed meanwhile
				}
			});
		}
		int count = 0;
		for (String table : List.of("tcp", "tcp6")) {
			Path path = Path.of("/proc", Long.toString(pid), "net", table);
			if (!Files.exists(path)) {
				continue;
			}
			for (String line : Files.readAllLines(path)) {
				String[] f = line.strip().split("\\s+");
				// sl local rem st ... inode(9); 01 = ESTABLISHED
				if (f.length > 9 && f[3].equals("01") && inodes.contains(f[9])) {
					int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
					if (proxyPorts.contains(remotePort)) {
						count++;
					}
				}
			}
		}
		return count;
	}

	private static long heapAfterGc(SoakJvm jvm) {
		String answer = jvm.get("/soak/jvm");
		if (answer == null) {
			throw new IllegalStateException("no answer");
		}
		for (String line : answer.split("\n")) {
			if (line.startsWith("heapAfterGc ")) {
				return Long.parseLong(line.substring(12).strip());
			}
		}
		throw new IllegalStateException("no heap in " + answer);
	}

}

package io.github.rpcdiscovery.etcd;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;

/** What etcd itself says a service key's instances are, read with etcdctl and go-zero's rules. */
final class EtcdTruth {

	private EtcdTruth() {
	}

	/** The distinct {@code host:port} values under {@code key/}, sorted. */
	static List<String> addresses(EtcdCtl etcdctl, String key) {
		List<String> lines = etcdctl.getPrefix(key + "/");
		// etcdctl prints key and value on alternate lines
		return IntStream.range(0, lines.size() / 2)
			.mapToObj((i) -> HostAndPort.parseOrNull(lines.get(2 * i + 1)))
			.filter(Objects::nonNull)
			.map(HostAndPort::toString)
			.distinct()
			.sorted()
			.toList();
	}

}

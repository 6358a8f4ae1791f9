package io.github.rpcdiscovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.Upstream;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prefixes are listed in batches, one read-only transaction each. A batch whose answer is over gRPC's 4 MiB message
 * limit (RESOURCE_EXHAUSTED) is split and its prefixes are listed one by one, but only for a while: once the split has
 * expired, the next listing of all of them (here after etcd restarted) is one batch again. etcd counts the
 * transactions it served ({@code grpc_server_started_total}, reset by its restart).
 */
class SplitBatchListingTest {

	private static final Duration SPLIT_FOR = Duration.ofSeconds(1);

	/** One listing in flight at a time, so the prefixes queue up and share batches. */
	private static final EtcdDiscoverySettings SETTINGS = new EtcdDiscoverySettings(Duration.ofSeconds(3),
			Duration.ofMillis(100), Duration.ofSeconds(1), 1000, 64, 1, SPLIT_FOR);

	private static final List<String> IDS = List.of("alpha.rpc", "beta.rpc");

	private EtcdProcess etcd;

	private Client direct;

	private EtcdConnections connections;

	private EtcdDiscoverySource source;

	private final ServiceCatalog catalog = new ServiceCatalog();

	@BeforeEach
	void start() {
		this.etcd = EtcdProcess.startSingle();
		this.direct = Client.builder().endpoints(this.etcd.clientUrl()).build();
		this.connections = new EtcdConnections();
		this.source = new EtcdDiscoverySource(this.catalog, this.connections, SETTINGS);
	}

	@AfterEach
	void stop() {
		this.source.close();
		this.connections.close();
		this.direct.close();
		this.etcd.close();
	}

	@Test
	void prefixesTooBigToListTogetherAreListedTogetherAgainLater() throws Exception {
		byte[] big = new byte[1_200_000];
		Arrays.fill(big, (byte) 'x');
		for (String id : IDS) {
			put(id + "/1", "127.0.0.1:" + (7700 + IDS.indexOf(id)));
			// 2.4 MB of values that are not addresses: each prefix fits into an answer, both together do not
			put(id + "/junk-1", new String(big, StandardCharsets.US_ASCII));
			put(id + "/junk-2", new String(big, StandardCharsets.US_ASCII));
		}
		for (String id : IDS) {
			this.source.watch(new Upstream(id, new EtcdTarget(cluster(), id), "test"));
		}
		await().atMost(Duration.ofSeconds(15))
			.until(() -> IDS.stream().allMatch((id) -> this.catalog.instances(id).size() == 1));
		// _rpc-meta/ alone, then both keys in a batch that is too big, then each alone
		assertThat(EtcdRequests.byMethod(this.etcd).get("Txn")).as("transactions of the first listing")
			.isGreaterThanOrEqualTo(4);

		for (String id : IDS) {
			delete(id + "/junk-1");
			delete(id + "/junk-2");
		}
		// every watch ends; the listings again fail (no answer) and wait for etcd together
		this.etcd.kill();
		await().atMost(Duration.ofSeconds(15)).until(() -> this.source.lastFailure(cluster()) != null);
		this.etcd.start();
		// listed again: a watch from each listing, for _rpc-meta/ and both keys
		await().atMost(Duration.ofSeconds(15))
			.until(() -> EtcdRequests.byMethod(this.etcd).getOrDefault("Watch", 0L) >= 1 + IDS.size());
		assertThat(EtcdRequests.byMethod(this.etcd).get("Txn")).as("transactions since etcd came back, split %s ago",
				SPLIT_FOR)
			.isEqualTo(1);
		assertThat(IDS).allSatisfy((id) -> assertThat(this.catalog.instances(id)).hasSize(1));
	}

	private void put(String key, String value) throws Exception {
		this.direct.getKVClient().put(bytes(key), bytes(value)).get(5, TimeUnit.SECONDS);
	}

	private void delete(String key) throws Exception {
		this.direct.getKVClient().delete(bytes(key)).get(5, TimeUnit.SECONDS);
	}

	private EtcdCluster cluster() {
		return EtcdCluster.of(List.of(this.etcd.hostAndPort()));
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}

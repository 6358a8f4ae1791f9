package io.github.rpcdiscovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.github.rpcdiscovery.core.DiscoveredInstance;
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
 * A cluster reads the metadata of all its services with one list-and-watch of {@code _rpc-meta/}. When etcd refuses
 * that listing (here: its answer is over gRPC's 4 MiB message limit, RESOURCE_EXHAUSTED), each service key reads its
 * own metadata instead, and the shared listing is tried again later: once it fits, the cluster is back to one watch
 * for the metadata of every key. The watches are counted by etcd ({@code etcd_debugging_mvcc_watcher_total}).
 */
class SharedMetadataListingTest {

	private static final Pattern WATCHERS = Pattern.compile("^etcd_debugging_mvcc_watcher_total (\\S+)$",
			Pattern.MULTILINE);

	private static final List<String> IDS = List.of("alpha.rpc", "beta.rpc");

	private static final Duration DEADLINE = Duration.ofSeconds(15);

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
		this.source = new EtcdDiscoverySource(this.catalog, this.connections,
				DiscoveryHarness.FAST.withSplitListingRetry(Duration.ofSeconds(2)));
	}

	@AfterEach
	void stop() {
		this.source.close();
		this.connections.close();
		this.direct.close();
		this.etcd.close();
	}

	@Test
	void metadataTooLargeToListAtOnceIsReadPerKeyUntilTheSharedListingFitsAgain() throws Exception {
		// metadata of some other application, 4.8 MB in all: more than one response may carry
		byte[] big = new byte[1_200_000];
		Arrays.fill(big, (byte) 'x');
		for (int i = 0; i < 4; i++) {
			put(InstanceMetadataCodec.ROOT + "other.rpc/" + i, new String(big, StandardCharsets.US_ASCII));
		}
		for (String id : IDS) {
			String address = "127.0.0.1:" + (7600 + IDS.indexOf(id));
			put(id + "/1", address);
			put(InstanceMetadataCodec.metadataKey(id, "1"), InstanceMetadataCodec.encode(address, Map.of("zone", "z1")));
		}

		for (String id : IDS) {
			this.source.watch(new Upstream(id, new EtcdTarget(cluster(), id), "test")).get(10, TimeUnit.SECONDS);
			assertThat(metadataOf(id)).containsEntry("zone", "z1");
		}
		// a watch per key for the instances and one per key for its metadata
		assertThat(watchers()).isEqualTo(2 * IDS.size());

		this.direct.getKVClient()
			.delete(bytes(InstanceMetadataCodec.ROOT + "other.rpc/"), DeleteOption.builder().isPrefix(true).build())
			.get(5, TimeUnit.SECONDS);
		// the shared listing fits again: one watch for the metadata of every key
		await("back to one metadata watch").atMost(DEADLINE).until(() -> watchers() == IDS.size() + 1);
		// and it carries the metadata
		put(InstanceMetadataCodec.metadataKey("alpha.rpc", "1"),
				InstanceMetadataCodec.encode("127.0.0.1:7600", Map.of("zone", "z2")));
		await().atMost(DEADLINE).untilAsserted(() -> assertThat(metadataOf("alpha.rpc")).containsEntry("zone", "z2"));
		assertThat(metadataOf("beta.rpc")).containsEntry("zone", "z1");
		assertThat(watchers()).isEqualTo(IDS.size() + 1);
	}

	private Map<String, String> metadataOf(String id) {
		List<DiscoveredInstance> instances = this.catalog.instances(id);
		assertThat(instances).hasSize(1);
		return instances.get(0).getMetadata();
	}

	/** The watchers etcd holds now; this test's own client watches nothing. */
	private long watchers() {
		Matcher matcher = WATCHERS.matcher(EtcdRequests.metrics(this.etcd));
		assertThat(matcher.find()).as("etcd_debugging_mvcc_watcher_total in etcd's metrics").isTrue();
		return (long) Double.parseDouble(matcher.group(1));
	}

	private void put(String key, String value) throws Exception {
		this.direct.getKVClient().put(bytes(key), bytes(value)).get(5, TimeUnit.SECONDS);
	}

	private EtcdCluster cluster() {
		return EtcdCluster.of(List.of(this.etcd.hostAndPort()));
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}

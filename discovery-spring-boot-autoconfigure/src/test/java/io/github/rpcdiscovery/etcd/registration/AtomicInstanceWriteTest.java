package io.github.rpcdiscovery.etcd.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance is never visible without its metadata: go-zero's key and the {@code _rpc-meta/} key are written in one
 * transaction, at one revision, when registering and whenever they are put back. Seen by a real etcd watch on both
 * prefixes.
 */
class AtomicInstanceWriteTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	private final EtcdConnections connections = new EtcdConnections();

	private final List<Put> puts = new CopyOnWriteArrayList<>();

	private Client watcher;

	private Watch.Watcher instances;

	private Watch.Watcher metadata;

	private record Put(String key, long modRevision) {
	}

	@BeforeEach
	void watchBothPrefixes() {
		this.watcher = Client.builder().endpoints("http://" + etcd.hostAndPort()).build();
		long from = etcd.process().etcdctl().revision() + 1;
		this.instances = watch("atomic.rpc/", from);
		this.metadata = watch("_rpc-meta/atomic.rpc/", from);
	}

	@AfterEach
	void close() {
		this.instances.close();
		this.metadata.close();
		this.watcher.close();
		this.connections.close();
	}

	@Test
	void theInstanceAndItsMetadataAppearAtTheSameRevisionWhenRegisteredAndWhenPutBack() {
		EtcdServiceRegistry registry = new EtcdServiceRegistry(this.connections,
				EtcdCluster.of(List.of(etcd.hostAndPort())), false);
		EtcdRegistration registration = new EtcdRegistration("atomic.rpc", 0, Duration.ofSeconds(30),
				Map.of("scheme", "https", "zone", "z1", "weight", "7"), new HostAndPort("127.0.0.51", 8443));
		try {
			registry.register(registration);
			String key = registry.currentKey(registration).orElseThrow();
			String metadataKey = "_rpc-meta/" + key;
			assertWrittenTogether(key, metadataKey);

			// someone deletes the instance key: both are put back, together
			this.puts.clear();
			etcd.process().etcdctl().delete(key);
			assertWrittenTogether(key, metadataKey);

			// someone deletes only the metadata: the instance is written again with it, not left without it
			this.puts.clear();
			etcd.process().etcdctl().delete(metadataKey);
			assertWrittenTogether(key, metadataKey);
		}
		finally {
			registry.close();
		}
	}

	private void assertWrittenTogether(String key, String metadataKey) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.puts.size() >= 2);
		assertThat(this.puts).extracting(Put::key).containsExactlyInAnyOrder(key, metadataKey);
		assertThat(this.puts).extracting(Put::modRevision).as("one transaction: one revision").containsOnly(
				this.puts.get(0).modRevision());
	}

	private Watch.Watcher watch(String prefix, long fromRevision) {
		ByteSequence bytes = ByteSequence.from(prefix, StandardCharsets.UTF_8);
		return this.watcher.getWatchClient()
			.watch(bytes, WatchOption.builder().isPrefix(true).withRevision(fromRevision).build(), (response) -> {
				for (WatchEvent event : response.getEvents()) {
					if (event.getEventType() == WatchEvent.EventType.PUT) {
						this.puts.add(new Put(event.getKeyValue().getKey().toString(StandardCharsets.UTF_8),
								event.getKeyValue().getModRevision()));
					}
				}
			});
	}

}

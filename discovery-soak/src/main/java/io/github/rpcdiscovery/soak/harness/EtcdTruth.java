package io.github.rpcdiscovery.soak.harness;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;

/**
 * The harness's own reading of etcd (straight to the members, never through a proxy): the registrations of the
 * service, and, polled every 250 ms, when each address disappeared from etcd and came back, which is what
 * "deregistered before the call started" means for the {@link Timeline}.
 */
final class EtcdTruth implements AutoCloseable {

	private final Client client;

	private final String prefix;

	private final Timeline timeline;

	private volatile Set<String> present = Set.of();

	private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread thread = new Thread(r, "soak-etcd-truth");
		thread.setDaemon(true);
		return thread;
	});

	EtcdTruth(List<String> endpoints, String service, Timeline timeline) {
		this.client = Client.builder().endpoints(endpoints.stream().map((e) -> "http://" + e).toArray(String[]::new))
			.build();
		this.prefix = service + "/";
		this.timeline = timeline;
	}

	void start() {
		this.poller.scheduleWithFixedDelay(this::track, 0, 250, TimeUnit.MILLISECONDS);
	}

	/** Key to value of every registration now (a linearizable read); null if etcd does not answer within 2 s. */
	Map<String, String> registrations() {
		try {
			List<KeyValue> kvs = this.client.getKVClient()
				.get(bytes(this.prefix), GetOption.builder().isPrefix(true).build())
				.get(2, TimeUnit.SECONDS)
				.getKvs();
			Map<String, String> registrations = new LinkedHashMap<>();
			kvs.forEach((kv) -> registrations.put(kv.getKey().toString(StandardCharsets.UTF_8),
					kv.getValue().toString(StandardCharsets.UTF_8)));
			return registrations;
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** The addresses etcd lists now (a fresh read); null if etcd does not answer. */
	Set<String> addresses() {
		Map<String, String> now = registrations();
		return (now != null) ? Set.copyOf(now.values()) : null;
	}

	private void track() {
		long readAt = System.currentTimeMillis();
		Map<String, String> now = registrations();
		if (now == null) {
			return;
		}
		Set<String> addresses = Set.copyOf(now.values());
		Set<String> before = this.present;
		before.stream().filter((address) -> !addresses.contains(address))
			.forEach((address) -> this.timeline.instanceGone(address, readAt));
		addresses.stream().filter((address) -> !before.contains(address))
			.forEach((address) -> this.timeline.instanceBack(address, readAt));
		this.present = addresses;
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.poller.shutdownNow();
		this.client.close();
	}

}

package io.github.rpcdiscovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.test.net.FreePorts;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code rpc.etcd.request-timeout} bounds each single request, and only those: watches stay open. */
class EtcdRequestDeadlineTest {

	private static final Duration TIMEOUT = Duration.ofMillis(700);

	@Test
	void aRequestEtcdDoesNotAnswerFailsAtTheRequestTimeout() {
		try (EtcdConnections connections = new EtcdConnections(TIMEOUT)) {
			Client client = connections.client(EtcdCluster.of(List.of("127.0.0.1:" + FreePorts.next())));
			long start = System.nanoTime();
			// nothing listens there: without a deadline the call would wait for a connection for ever
			assertThatThrownBy(() -> client.getKVClient().get(bytes("k")).get(10, TimeUnit.SECONDS))
				.isInstanceOf(ExecutionException.class)
				.satisfies((ex) -> assertThat(Status.fromThrowable(ex).getCode())
					.isEqualTo(Status.Code.DEADLINE_EXCEEDED));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT.minusMillis(100),
					TIMEOUT.plusSeconds(2));
		}
	}

	@Test
	void aWatchOutlivesTheRequestTimeout() throws Exception {
		try (EtcdProcess etcd = EtcdProcess.startSingle();
				EtcdConnections connections = new EtcdConnections(TIMEOUT)) {
			Client client = connections.client(EtcdCluster.of(List.of(etcd.hostAndPort())));
			List<WatchResponse> events = new CopyOnWriteArrayList<>();
			List<Throwable> errors = new CopyOnWriteArrayList<>();
			try (Watch.Watcher watcher = client.getWatchClient()
				.watch(bytes("w/"), WatchOption.builder().isPrefix(true).build(),
						Watch.listener(events::add, errors::add))) {
				assertThat(client.getKVClient().put(bytes("w/1"), bytes("a")).get(5, TimeUnit.SECONDS)).isNotNull();
				await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
				// well past the request timeout, the same stream still delivers
				await().during(TIMEOUT.multipliedBy(3)).atMost(TIMEOUT.multipliedBy(4)).until(errors::isEmpty);
				client.getKVClient().put(bytes("w/2"), bytes("b")).get(5, TimeUnit.SECONDS);
				await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
				assertThat(errors).isEmpty();
				assertThat(EtcdRequests.byMethod(etcd)).containsEntry("Watch", 1L);
			}
		}
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}

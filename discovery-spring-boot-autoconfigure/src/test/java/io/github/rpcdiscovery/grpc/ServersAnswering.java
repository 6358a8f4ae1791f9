package io.github.rpcdiscovery.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.grpc.Channel;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Which servers a round-robin channel reaches: a few calls per server, every call must succeed. */
final class ServersAnswering {

	private ServersAnswering() {
	}

	/** Until a round of calls reaches exactly these servers. */
	static void awaitExactly(Channel channel, GrpcBackend... expected) {
		List<String> addresses = new ArrayList<>();
		for (GrpcBackend backend : expected) {
			addresses.add(backend.address());
		}
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(of(channel, 6 * expected.length))
				.containsExactlyInAnyOrderElementsOf(addresses));
	}

	/** The distinct servers that answered this many calls. */
	static List<String> of(Channel channel, int calls) {
		SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(channel);
		List<String> answered = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			String server = stub.withDeadlineAfter(5, TimeUnit.SECONDS)
				.unaryRpc(SimpleRequest.getDefaultInstance())
				.getResponseMessage();
			if (!answered.contains(server)) {
				answered.add(server);
			}
		}
		return answered;
	}

}

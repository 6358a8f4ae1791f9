package io.github.rpcdiscovery.shutdown;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.github.rpcdiscovery.etcd.registration.RegistrationTestApp;
import io.github.rpcdiscovery.test.etcd.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order of a graceful shutdown, watched from outside: the key leaves etcd first, the server keeps answering for
 * the drain, then stops accepting; the whole shutdown stays within a few seconds.
 */
class DeregisterFirstShutdownTest {

	@RegisterExtension
	static final EtcdExtension etcd = new EtcdExtension();

	static final Duration DRAIN = Duration.ofMillis(800);

	@Test
	void keyGoneThenDrainWhileServingThenStop() throws Exception {
		ConfigurableApplicationContext app = RegistrationTestApp.start(List.of("spring.application.name=drain.rpc",
				"rpc.etcd.hosts=" + etcd.hostAndPort(), "rpc.listen-on=127.0.0.51", "server.address=127.0.0.51",
				"rpc.shutdown.drain=" + DRAIN.toMillis() + "ms"));
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		URI ping = URI.create("http://127.0.0.51:" + port + "/ping");
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
		try (Client client = Client.builder().endpoints("http://" + etcd.hostAndPort()).build()) {
			ByteSequence prefix = ByteSequence.from("drain.rpc/", StandardCharsets.UTF_8);
			await().atMost(Duration.ofSeconds(30)).until(() -> keys(client, prefix) == 1);
			assertThat(answers(http, ping)).isTrue();

			AtomicLong keyGoneAt = new AtomicLong();
			AtomicLong refusedAt = new AtomicLong();
			long start = System.nanoTime();
			CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
				if (keyGoneAt.get() == 0 && keys(client, prefix) == 0) {
					keyGoneAt.set(System.nanoTime());
				}
				if (refusedAt.get() == 0 && !answers(http, ping)) {
					refusedAt.set(System.nanoTime());
				}
				return keyGoneAt.get() != 0 && refusedAt.get() != 0;
			});
			closing.get(10, TimeUnit.SECONDS);
			long shutdownMillis = (System.nanoTime() - start) / 1_000_000;
			long servedAfterDeregistration = (refusedAt.get() - keyGoneAt.get()) / 1_000_000;
			System.out.println("Key gone after " + (keyGoneAt.get() - start) / 1_000_000 + " ms; served for "
					+ servedAfterDeregistration + " ms more; shutdown took " + shutdownMillis + " ms");
			assertThat(keyGoneAt.get()).as("deregistered before the server stopped accepting").isLessThan(refusedAt.get());
			assertThat(servedAfterDeregistration).as("served through the drain").isGreaterThanOrEqualTo(DRAIN.toMillis() - 150);
			assertThat(shutdownMillis).as("shutdown time").isLessThanOrEqualTo(3000);
		}
		finally {
			app.close();
		}
	}

	private static long keys(Client client, ByteSequence prefix) throws Exception {
		return client.getKVClient()
			.get(prefix, GetOption.builder().isPrefix(true).withCountOnly(true).build())
			.get(2, TimeUnit.SECONDS)
			.getCount();
	}

	private static boolean answers(HttpClient http, URI uri) {
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(500)).build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200;
		}
		catch (Exception ex) {
			return false;
		}
	}

}

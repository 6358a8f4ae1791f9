package io.github.rpcdiscovery.bench.loadbalancer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A backend on a loopback address that answers {@code GET /hello} with its address after a configurable latency,
 * without holding a thread while it waits (200 requests/s at 500 ms need 100 waiting requests, not 100 threads).
 * {@link #kill()} closes it the way {@code kill -9} would: the listening socket goes (new connections are refused)
 * and every open connection is reset.
 */
final class DelayedBackend implements AutoCloseable {

	private final String host;

	private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

	private final AtomicLong calls = new AtomicLong();

	private final AtomicLong slowCalls = new AtomicLong();

	private volatile Duration latency;

	private volatile DisposableServer server;

	private final String address;

	DelayedBackend(String host, Duration latency) {
		this.host = host;
		this.latency = latency;
		this.server = bind(0);
		this.address = host + ":" + this.server.port();
	}

	private DisposableServer bind(int port) {
		return HttpServer.create()
			.host(this.host)
			.port(port)
			.doOnConnection((connection) -> {
				Channel channel = connection.channel();
				this.connections.add(channel);
				channel.closeFuture().addListener((future) -> this.connections.remove(channel));
			})
			.route((routes) -> routes.get("/hello", (request, response) -> {
				this.calls.incrementAndGet();
				Duration wait = this.latency;
				if (wait.compareTo(Duration.ofMillis(100)) > 0) {
					this.slowCalls.incrementAndGet();
				}
				if (wait.isZero()) {
					return response.sendString(Mono.just(this.address)).then();
				}
				return Mono.delay(wait).then(response.sendString(Mono.just(this.address)).then());
			}))
			.bindNow();
	}

	String address() {
		return this.address;
	}

	void latency(Duration latency) {
		this.latency = latency;
	}

	long calls() {
		return this.calls.get();
	}

	/** Calls that arrived while the latency was above 100 ms. */
	long slowCalls() {
		return this.slowCalls.get();
	}

	void resetCounts() {
		this.calls.set(0);
		this.slowCalls.set(0);
	}

	/** Like kill -9: the port closes and open connections are reset (SO_LINGER 0), nothing is drained. */
	void kill() {
		this.server.channel().close().syncUninterruptibly();
		for (Channel channel : this.connections) {
			channel.config().setOption(ChannelOption.SO_LINGER, 0);
			channel.close();
		}
		this.server.disposeNow(Duration.ofSeconds(1));
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(1));
	}

}

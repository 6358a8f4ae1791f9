package io.github.rpcdiscovery.test.kubernetes;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

/**
 * Works around a deadlock of fabric8's mock server: when a watch connection fails or closes, its listener waits (up
 * to a minute) on the event loop for its sender thread, whose pending send waits for the event loop. A connection cut
 * while events are sent then freezes the whole mock server. This runs the two closing callbacks off the event loop;
 * everything else goes straight through.
 */
final class OffLoopClosingListener extends WebSocketListener {

	private static final ExecutorService CLOSER = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "mock-kubernetes-watch-closer");
		thread.setDaemon(true);
		return thread;
	});

	private final WebSocketListener delegate;

	OffLoopClosingListener(WebSocketListener delegate) {
		this.delegate = delegate;
	}

	@Override
	public void onBeforeAccept(WebSocket webSocket, Response response) {
		this.delegate.onBeforeAccept(webSocket, response);
	}

	@Override
	public void onOpen(WebSocket webSocket, Response response) {
		this.delegate.onOpen(webSocket, response);
	}

	@Override
	public void onMessage(WebSocket webSocket, String text) {
		this.delegate.onMessage(webSocket, text);
	}

	@Override
	public void onMessage(WebSocket webSocket, ByteString bytes) {
		this.delegate.onMessage(webSocket, bytes);
	}

	@Override
	public void onMessage(WebSocket webSocket, byte[] bytes) {
		this.delegate.onMessage(webSocket, bytes);
	}

	@Override
	public void onPing(WebSocket webSocket, byte[] bytes) {
		this.delegate.onPing(webSocket, bytes);
	}

	@Override
	public void onClosing(WebSocket webSocket, int code, String reason) {
		this.delegate.onClosing(webSocket, code, reason);
	}

	@Override
	public void onClosed(WebSocket webSocket, int code, String reason) {
		CLOSER.execute(() -> this.delegate.onClosed(webSocket, code, reason));
	}

	@Override
	public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
		CLOSER.execute(() -> this.delegate.onFailure(webSocket, failure, response));
	}

}

package io.github.rpcdiscovery.grpc.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * Sends go-zero's client credentials: the {@code app} and {@code token} metadata entries a zrpc server with
 * {@code Auth: true} checks against its Redis hash.
 */
public final class GoZeroAuthInterceptor implements ClientInterceptor {

	static final Metadata.Key<String> APP = Metadata.Key.of("app", Metadata.ASCII_STRING_MARSHALLER);

	static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

	private final @Nullable String app;

	private final @Nullable String token;

	public GoZeroAuthInterceptor(@Nullable String app, @Nullable String token) {
		this.app = app;
		this.token = token;
	}

	@Override
	public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
		return new SimpleForwardingClientCall<>(next.newCall(method, options)) {

			@Override
			public void start(Listener<R> listener, Metadata headers) {
				if (GoZeroAuthInterceptor.this.app != null) {
					headers.put(APP, GoZeroAuthInterceptor.this.app);
				}
				if (GoZeroAuthInterceptor.this.token != null) {
					headers.put(TOKEN, GoZeroAuthInterceptor.this.token);
				}
				super.start(listener, headers);
			}

		};
	}

	@Override
	public String toString() {
		// the token stays out of logs
		return "GoZeroAuthInterceptor[app=" + this.app + "]";
	}

}

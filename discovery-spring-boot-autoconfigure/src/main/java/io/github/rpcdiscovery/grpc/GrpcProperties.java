package io.github.rpcdiscovery.grpc;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * gRPC channels and servers in go-zero's discovery.
 *
 * @param loadBalancingPolicy The load-balancing policy of channels whose address is one of this starter's targets
 * (discovery:///, etcd:///, discov:///, direct:///, k8s://) when neither
 * spring.grpc.client.channels.{name}.default-load-balancing-policy nor a service config names one. go-zero's default
 * is p2c_ewma.
 * @param channels Per Spring gRPC channel name, go-zero's optional client credentials (zrpc's App and Token).
 * @param registration How this application's gRPC server registers itself in etcd for go-zero clients.
 */
@ConfigurationProperties("rpc.grpc")
public record GrpcProperties(@DefaultValue("p2c_ewma") String loadBalancingPolicy,
		@DefaultValue Map<String, Channel> channels, @DefaultValue Registration registration) {

	public GrpcProperties {
		channels = (channels != null) ? Map.copyOf(channels) : Map.of();
	}

	/**
	 * One channel's go-zero credentials, sent as the {@code app} and {@code token} metadata of every call (what a
	 * go-zero server with {@code Auth: true} checks).
	 *
	 * @param app The app name sent as the "app" metadata entry (go-zero: App).
	 * @param token The token sent as the "token" metadata entry (go-zero: Token). Never logged.
	 */
	public record Channel(@Nullable String app, @Nullable String token) {

		@Override
		public String toString() {
			return "Channel[app=" + this.app + ", token=" + ((this.token != null) ? "******" : null) + "]";
		}

	}

	/**
	 * The gRPC server's own registration, beside (and independent of) the HTTP registration of rpc.etcd.key.
	 *
	 * @param enabled Whether the gRPC server registers itself in etcd when rpc.grpc.registration.key is set.
	 * @param key The etcd key go-zero clients look the gRPC server up by (their Etcd: Key:). The server registers under
	 * {key}/{lease id} with the value host:grpcPort.
	 * @param host The host registered. Defaults to rpc.listen-on's host, else the address the gRPC server is bound to
	 * (spring.grpc.server.address).
	 */
	public record Registration(@DefaultValue("true") boolean enabled, @Nullable String key, @Nullable String host) {

	}

}

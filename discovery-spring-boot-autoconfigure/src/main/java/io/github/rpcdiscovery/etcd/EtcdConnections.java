package io.github.rpcdiscovery.etcd;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.grpc.ManagedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One shared jetcd {@link Client} per etcd cluster (hosts, account and TLS), as go-zero shares one client per sorted
 * host list. Every watcher and registration on a cluster multiplexes over that client's connection.
 * <p>
 * Every unary call on these clients has a deadline, the request timeout ({@code rpc.etcd.request-timeout}, 3 s by
 * default as go-zero's): jetcd's own calls have none and would otherwise queue for as long as etcd is down
 * ({@link UnaryCallDeadline}). Watches and lease keep-alives are streams and stay open.
 */
public final class EtcdConnections implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EtcdConnections.class);

	/** go-zero's request timeout. */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);

	/** One WARN per JVM if {@link #reconnectNow} cannot reach jetcd's channel. */
	private static final AtomicBoolean reflectionFailureLogged = new AtomicBoolean();

	private final Map<EtcdCluster, Client> clients = new ConcurrentHashMap<>();

	private final Duration requestTimeout;

	private volatile boolean closed;

	/** Clients whose unary calls have go-zero's request timeout, 3 s. */
	public EtcdConnections() {
		this(DEFAULT_REQUEST_TIMEOUT);
	}

	/** @param requestTimeout the deadline of every unary call (reads, writes, lease grants and revokes) */
	public EtcdConnections(Duration requestTimeout) {
		if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
			throw new IllegalArgumentException("rpc.etcd.request-timeout must be positive, not " + requestTimeout);
		}
		this.requestTimeout = requestTimeout;
	}

	/** The deadline of every unary call on these clients. */
	public Duration requestTimeout() {
		return this.requestTimeout;
	}

	/** The client of a cluster, created on first use. */
	public Client client(EtcdCluster cluster) {
		if (this.closed) {
			throw new IllegalStateException("etcd connections are closed");
		}
		return this.clients.computeIfAbsent(cluster, (spec) -> build(spec, this.requestTimeout));
	}

	static Client build(EtcdCluster cluster, Duration requestTimeout) {
		String scheme = cluster.usesTls() ? "https://" : "http://";
		List<URI> endpoints = cluster.hosts().stream().map((host) -> URI.create(scheme + host)).toList();
		ClientBuilder builder = Client.builder()
			.endpoints(endpoints)
			.connectTimeout(Duration.ofSeconds(5))
			// etcd refuses keepalive pings more often than every 5 s (GOAWAY); 10 s detects a dead path in ~15 s
			.keepaliveTime(Duration.ofSeconds(10))
			.keepaliveTimeout(Duration.ofSeconds(5))
			.keepaliveWithoutCalls(true)
			.retryDelay(200)
			.retryMaxDelay(2000)
			.interceptor(new UnaryCallDeadline(requestTimeout));
		if (cluster.hasCredentials()) {
			builder.user(bytes(cluster.user())).password(bytes(cluster.password() != null ? cluster.password() : ""));
		}
		if (cluster.usesTls()) {
			configureTls(builder, cluster);
		}
		logger.debug("Connecting to " + cluster);
		return builder.build();
	}

	private static void configureTls(ClientBuilder builder, EtcdCluster cluster) {
		requireReadable(cluster, "ca-cert-file", cluster.caCertFile());
		requireReadable(cluster, "cert-file", cluster.certFile());
		requireReadable(cluster, "cert-key-file", cluster.certKeyFile());
		try {
			builder.sslContext((ssl) -> trust(ssl, cluster));
		}
		catch (javax.net.ssl.SSLException | IllegalArgumentException ex) {
			throw new EtcdTlsConfigurationException(cluster, ex);
		}
	}

	private static void requireReadable(EtcdCluster cluster, String setting, @Nullable String file) {
		if (file != null && !new File(file).canRead()) {
			throw new EtcdTlsConfigurationException(cluster, "rpc.etcd." + setting + " " + file
					+ (new File(file).exists() ? " cannot be read" : " does not exist"));
		}
	}

	/**
	 * Applies a cluster's TLS settings to a client SSL context: what it trusts (the CA file, or anything with
	 * insecure-skip-verify, else the JDK's trust store) and the client certificate for mutual TLS. Shared by the jetcd
	 * client and {@link EtcdConnectionCheck}, so both see etcd the same way.
	 */
	static SslContextBuilder trust(SslContextBuilder ssl, EtcdCluster cluster) {
		if (cluster.insecureSkipVerify()) {
			ssl.trustManager(InsecureTrustManagerFactory.INSTANCE);
		}
		else if (cluster.caCertFile() != null) {
			ssl.trustManager(new File(cluster.caCertFile()));
		}
		if (cluster.certFile() != null && cluster.certKeyFile() != null) {
			ssl.keyManager(new File(cluster.certFile()), new File(cluster.certKeyFile()));
		}
		return ssl;
	}

	/**
	 * Makes a client's connection try to reconnect now instead of when gRPC's reconnect back-off says (which grows to
	 * two minutes during a long outage, so a client may stay disconnected that long after etcd is back: jetcd issue
	 * #1616). Cheap when connected; call it at most once per retry.
	 * <p>
	 * <b>Why reflection.</b> Resetting the back-off needs the client's {@link ManagedChannel}, and jetcd 0.8.7 offers no
	 * public route to it: {@code ClientImpl} keeps it in its private {@code ClientConnectionManager}, the builder takes
	 * neither a channel nor a back-off policy, and an interceptor only sees gRPC's internal channel. Building a new
	 * client instead would end every watch and lease keep-alive that holds the old one. So this reads
	 * {@code connectionManager.managedChannel}; if a jetcd upgrade moves them, it logs one WARN and does nothing (the
	 * client then reconnects on gRPC's own schedule), and {@code EtcdConnectionsReconnectTest} fails, naming the
	 * fields.
	 * @return whether the back-off was reset ({@code false} before the client's first call, when it has no channel)
	 */
	public static boolean reconnectNow(Client client) {
		try {
			ManagedChannel channel = channelOf(client);
			if (channel == null) {
				return false;
			}
			channel.resetConnectBackoff();
			return true;
		}
		catch (IllegalStateException ex) {
			if (reflectionFailureLogged.compareAndSet(false, true)) {
				logger.warn(ex.getMessage() + "; reconnecting on gRPC's schedule after an outage");
			}
			return false;
		}
	}

	/**
	 * The channel of a client, {@code null} until its first call creates it.
	 * @throws IllegalStateException if jetcd's internals are not what {@link #reconnectNow} expects
	 */
	static @Nullable ManagedChannel channelOf(Client client) {
		Object channel;
		try {
			Object manager = field(client, "connectionManager");
			channel = field(manager, "managedChannel");
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw jetcdChanged(client, ex.toString());
		}
		if (channel == null || channel instanceof ManagedChannel) {
			return (ManagedChannel) channel;
		}
		throw jetcdChanged(client, "managedChannel is a " + channel.getClass().getName());
	}

	private static IllegalStateException jetcdChanged(Client client, String found) {
		String version = Client.class.getPackage().getImplementationVersion();
		return new IllegalStateException("Cannot reach the gRPC channel of the etcd client: this jetcd"
				+ ((version != null) ? " (" + version + ")" : "") + " no longer keeps it in "
				+ client.getClass().getSimpleName() + ".connectionManager.managedChannel (" + found + ")");
	}

	private static @Nullable Object field(@Nullable Object target, String name) throws ReflectiveOperationException {
		if (target == null) {
			throw new NoSuchFieldException(name + " of null");
		}
		java.lang.reflect.Field field = target.getClass().getDeclaredField(name);
		field.setAccessible(true);
		return field.get(target);
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.closed = true;
		this.clients.values().forEach((client) -> {
			try {
				client.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing an etcd client failed", ex);
			}
		});
		this.clients.clear();
	}

	/** The TLS files of a cluster could not be loaded; names the files (never the password). */
	public static final class EtcdTlsConfigurationException extends IllegalStateException {

		EtcdTlsConfigurationException(EtcdCluster cluster, Exception cause) {
			super(describe(cluster) + ": the files must be PEM, the key PKCS#8: " + cause.getMessage(), cause);
		}

		EtcdTlsConfigurationException(EtcdCluster cluster, String problem) {
			super(describe(cluster) + ": " + problem);
		}

		private static String describe(EtcdCluster cluster) {
			return "Could not set up TLS for " + cluster + " (ca-cert-file=" + cluster.caCertFile() + ", cert-file="
					+ cluster.certFile() + ", cert-key-file=" + cluster.certKeyFile() + ")";
		}

	}

}

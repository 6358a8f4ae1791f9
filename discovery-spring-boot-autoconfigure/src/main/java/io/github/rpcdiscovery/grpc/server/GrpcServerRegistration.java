package io.github.rpcdiscovery.grpc.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.etcd.registration.ApplicationLifecycleRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdRegistration;
import io.github.rpcdiscovery.etcd.registration.EtcdServiceRegistry;
import io.github.rpcdiscovery.shutdown.InstanceWithdrawnEvent;
import io.github.rpcdiscovery.status.DiscoveryObserver;
import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;
import io.github.rpcdiscovery.target.HostAndPort;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Registers this application's gRPC server in etcd the way a go-zero zrpc server registers: {@code <key>/<lease id>}
 * → {@code host:grpcPort}, so go-zero clients with {@code Etcd: Key: <key>} find it. Independent of the HTTP
 * registration ({@code rpc.etcd.key}, the web server's port): its own key (a startup fails when the two are equal,
 * {@link #requireOwnKey}), its own lease, always the lease id as suffix ({@code rpc.etcd.id} is the HTTP one's).
 * <ul>
 * <li>The port is the one the server bound ({@link GrpcServerStartedEvent}), so {@code spring.grpc.server.port=0}
 * works.</li>
 * <li>Registers on {@link ApplicationReadyEvent}, when every runner has run.</li>
 * <li>Revokes on {@link ContextClosedEvent}, before any lifecycle bean stops (the gRPC server's graceful shutdown among
 * them), and publishes an {@link InstanceWithdrawnEvent} so the drain is measured from there.</li>
 * </ul>
 */
public final class GrpcServerRegistration
		extends ApplicationLifecycleRegistration implements AutoCloseable, RegistrationStatusProvider {

	private static final Log logger = LogFactory.getLog(GrpcServerRegistration.class);

	private final EtcdServiceRegistry registry;

	private final String key;

	private final Duration ttl;

	private final @Nullable String host;

	private final HostResolver fallback;

	private final Object lifecycle = new Object();

	// guarded by lifecycle

	private @Nullable GrpcServerStartedEvent started;

	private @Nullable EtcdRegistration registration;

	private boolean closing;

	/**
	 * @param registry the registry the gRPC registration is kept in (its own, closed with this)
	 * @param key the etcd key go-zero clients look the server up by
	 * @param ttl the lease TTL
	 * @param host the host to register ({@code rpc.grpc.registration.host}, else {@code rpc.listen-on}'s host), or
	 * {@code null} to use the server's bind address, else {@code POD_IP} or the detected address
	 * @param fallback finds the host when none is set
	 */
	public GrpcServerRegistration(EtcdServiceRegistry registry, String key, Duration ttl, @Nullable String host,
			HostResolver fallback) {
		this.registry = registry;
		this.key = key;
		this.ttl = ttl;
		this.host = host;
		this.fallback = fallback;
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return GrpcServerStartedEvent.class.isAssignableFrom(eventType) || super.supportsEventType(eventType);
	}

	@Override
	protected void onOtherEvent(ApplicationEvent event) {
		// the in-process server (no socket, port -1) has nothing to register
		if (event instanceof GrpcServerStartedEvent serverStarted && serverStarted.getPort() > 0
				&& socketOf(serverStarted) != null) {
			synchronized (this.lifecycle) {
				this.started = serverStarted;
			}
		}
	}

	@Override
	protected void onReady() {
		register();
	}

	@Override
	protected void onClosing() {
		withdraw();
	}

	/** Registers the started server, once; nothing if no gRPC server started or the context is closing. */
	public void register() {
		EtcdRegistration toRegister;
		CompletableFuture<Void> firstAttempt;
		synchronized (this.lifecycle) {
			if (this.registration != null || this.closing) {
				return;
			}
			if (this.started == null) {
				logger.info("Not registering a gRPC server under " + this.key + ": no gRPC server started"
						+ " (spring.grpc.server.port=-1, or an in-process server only)");
				return;
			}
			HostAndPort address = address(this.started);
			toRegister = new EtcdRegistration(this.key, 0, this.ttl, Map.of("scheme", "grpc"), address);
			firstAttempt = this.registry.startRegistration(toRegister);
			this.registration = toRegister;
		}
		this.registry.awaitFirstAttempt(toRegister, firstAttempt);
	}

	/** Revokes the lease, once; says so with an {@link InstanceWithdrawnEvent} when the key really left etcd. */
	public void withdraw() {
		EtcdRegistration withdrawn;
		synchronized (this.lifecycle) {
			this.closing = true;
			withdrawn = this.registration;
			this.registration = null;
		}
		ApplicationContext context = context();
		if (withdrawn != null && this.registry.withdraw(withdrawn) && context != null) {
			context.publishEvent(new InstanceWithdrawnEvent(this, this.key + " -> " + withdrawn.address()));
		}
	}

	/** The registration, while registered. */
	public @Nullable EtcdRegistration registration() {
		synchronized (this.lifecycle) {
			return this.registration;
		}
	}

	private HostAndPort address(GrpcServerStartedEvent event) {
		String chosen = this.host;
		InetSocketAddress socket = socketOf(event);
		if (chosen == null && socket != null && socket.getAddress() != null
				&& !socket.getAddress().isAnyLocalAddress()) {
			// bound to one address (spring.grpc.server.address): that is where clients reach it
			chosen = socket.getAddress().getHostAddress();
		}
		return this.fallback.resolve(chosen, event.getPort());
	}

	private static @Nullable InetSocketAddress socketOf(GrpcServerStartedEvent event) {
		for (SocketAddress address : event.getServer().getListenSockets()) {
			if (address instanceof InetSocketAddress inet) {
				return inet;
			}
		}
		return null;
	}

	/** The gRPC registration in the {@code rpc} endpoint, the registration health and the meters, like the HTTP one. */
	@Override
	public List<RegistrationStatus> registrations() {
		return this.registry.registrations();
	}

	@Override
	public void observe(DiscoveryObserver observer) {
		this.registry.observe(observer);
	}

	/** Withdraws, and stops the registry this registration owns. */
	@Override
	public void close() {
		withdraw();
		this.registry.close();
	}

	/**
	 * The gRPC server and the web server of one application never share a service key: go-zero clients with that
	 * {@code Etcd.Key} would dial the web server's port for some calls, and HTTP clients of the key the gRPC port.
	 * @throws InvalidRpcPropertyException if the web server registers under the gRPC server's key
	 */
	public static void requireOwnKey(String key, boolean webServerRegistersUnderIt) {
		if (webServerRegistersUnderIt) {
			throw new InvalidRpcPropertyException("rpc.grpc.registration.key", key, "the web server of this"
					+ " application registers under the same key (rpc.etcd.key, else spring.application.name), so"
					+ " go-zero clients of " + key + " would call the web server's port, and HTTP clients the gRPC"
					+ " port", "give the gRPC server its own key (go-zero names them <service>.rpc), or set"
							+ " rpc.registration.enabled=false if only the gRPC server should be registered");
		}
	}

	/** Works out the address from an explicit host (or none) and the gRPC port. */
	@FunctionalInterface
	public interface HostResolver {

		HostAndPort resolve(@Nullable String host, int port);

	}

}

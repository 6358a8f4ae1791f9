package io.github.rpcdiscovery.etcd.registration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.shutdown.InstanceWithdrawnEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.discovery.event.InstancePreRegisteredEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.util.ClassUtils;

/**
 * Registers this application in etcd when it is ready to serve, and deregisters it when it starts to shut down.
 * <ul>
 * <li>Register on {@link ApplicationReadyEvent}: the web server listens and every runner has run. go-zero registers
 * before its server listens (its issue #1427), and Spring Cloud's own auto-registration on
 * {@code WebServerInitializedEvent}; both can send callers to an application that is not ready.</li>
 * <li>Deregister on {@link ContextClosedEvent}, by revoking the lease: Spring publishes it before it stops lifecycle
 * beans, among them the web server's graceful shutdown, so the key is gone while the server still accepts calls.</li>
 * </ul>
 * The address is worked out at that moment by the {@link RegistrationAddressResolver}, with the web server's port; an
 * application without a web server registers only if {@code rpc.listen-on} has a port.
 */
public final class EtcdAutoRegistration extends ApplicationLifecycleRegistration implements AutoServiceRegistration {

	private static final Log logger = LogFactory.getLog(EtcdAutoRegistration.class);

	private static final boolean WEB_SERVER_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.web.server.context.WebServerApplicationContext",
			EtcdAutoRegistration.class.getClassLoader());

	private final EtcdServiceRegistry registry;

	private final EtcdRegistration registration;

	private final RegistrationAddressResolver addresses;

	private final ContainerAddressCheck containerCheck;

	private final AtomicBoolean registered = new AtomicBoolean();

	private final Object lifecycle = new Object();

	private boolean closing;

	public EtcdAutoRegistration(EtcdServiceRegistry registry, EtcdRegistration registration,
			RegistrationAddressResolver addresses) {
		this(registry, registration, addresses, true);
	}

	/**
	 * @param checkContainerAddress whether an address found automatically is checked against container-local ranges
	 * ({@code rpc.registration.container-address-check})
	 */
	public EtcdAutoRegistration(EtcdServiceRegistry registry, EtcdRegistration registration,
			RegistrationAddressResolver addresses, boolean checkContainerAddress) {
		this(registry, registration, addresses,
				checkContainerAddress ? ContainerAddressCheck.system() : ContainerAddressCheck.disabled());
	}

	EtcdAutoRegistration(EtcdServiceRegistry registry, EtcdRegistration registration,
			RegistrationAddressResolver addresses, ContainerAddressCheck containerCheck) {
		this.registry = registry;
		this.registration = registration;
		this.addresses = addresses;
		this.containerCheck = containerCheck;
	}

	@Override
	protected void onReady() {
		register();
	}

	@Override
	protected void onClosing() {
		synchronized (this.lifecycle) {
			this.closing = true;
		}
		deregister();
	}

	/**
	 * Works out the address and registers, once. The registration is claimed and handed to the registry under the
	 * same lock that {@link #deregister()} takes, so a shutdown that races the first attempt still revokes (and
	 * drains) what it writes; and nothing registers once the context is closing.
	 */
	public void register() {
		CompletableFuture<Void> firstAttempt;
		synchronized (this.lifecycle) {
			if (this.registered.get() || this.closing) {
				return;
			}
			RegistrationAddressResolver.Resolved address = this.addresses.resolve(webServerPort());
			if (address == null) {
				logger.info("Not registering in etcd: this application has no web server, and rpc.listen-on gives no"
						+ " port (set rpc.listen-on: <host>:<port> to register a non-web application)");
				return;
			}
			if (this.registration.key() == null) {
				throw new InvalidRpcPropertyException("rpc.etcd.key", "", "rpc.etcd.hosts is set, so this application"
						+ " registers itself in etcd, but neither rpc.etcd.key nor spring.application.name names the key",
						"set spring.application.name (or rpc.etcd.key), or rpc.registration.enabled=false for an"
								+ " application that only calls others");
			}
			this.containerCheck.check(address);
			this.registration.bindAddress(address.address());
			logger.debug("Registering " + address.address() + " (from " + address.origin() + ")");
			publish(new InstancePreRegisteredEvent(this, this.registration));
			firstAttempt = this.registry.startRegistration(this.registration);
			this.registered.set(true);
		}
		this.registry.awaitFirstAttempt(this.registration, firstAttempt);
		if (this.registered.get()) {
			publish(new InstanceRegisteredEvent<>(this, this.registration));
		}
	}

	/**
	 * Revokes the lease, once. When the keys really left etcd, says so with an {@link InstanceWithdrawnEvent}: the
	 * drain before the web server's shutdown is measured from it.
	 */
	public void deregister() {
		synchronized (this.lifecycle) {
			if (!this.registered.compareAndSet(true, false)) {
				return;
			}
		}
		if (this.registry.withdraw(this.registration)) {
			publish(new InstanceWithdrawnEvent(this, this.registration.key() + " -> " + this.registration.value()));
		}
	}

	/**
	 * Whether this registration writes an instance under the service key when the application is ready: it has that
	 * key, and a port to register (a web server, or a port in {@code rpc.listen-on}). Known before the web server
	 * starts, so a clash can fail the startup before anything is registered.
	 */
	public boolean registersUnder(String serviceKey) {
		return serviceKey.equals(this.registration.key())
				&& (this.addresses.hasPort() || (WEB_SERVER_PRESENT && WebServerPort.isWebServer(context())));
	}

	public boolean isRegistered() {
		return this.registered.get();
	}

	public EtcdRegistration registration() {
		return this.registration;
	}

	private @Nullable Integer webServerPort() {
		return WEB_SERVER_PRESENT ? WebServerPort.of(context()) : null;
	}

	private void publish(ApplicationEvent event) {
		ApplicationContext context = context();
		if (context != null) {
			context.publishEvent(event);
		}
	}

	/** Kept apart so that applications without spring-boot-web-server never load its classes. */
	private static final class WebServerPort {

		static boolean isWebServer(@Nullable ApplicationContext context) {
			return context instanceof WebServerApplicationContext;
		}

		static @Nullable Integer of(@Nullable ApplicationContext context) {
			if (!(context instanceof WebServerApplicationContext web)) {
				return null;
			}
			WebServer server = web.getWebServer();
			return (server != null && server.getPort() > 0) ? server.getPort() : null;
		}

	}

}

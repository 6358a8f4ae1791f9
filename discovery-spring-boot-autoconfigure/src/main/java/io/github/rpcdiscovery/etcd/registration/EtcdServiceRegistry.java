package io.github.rpcdiscovery.etcd.registration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.status.DiscoveryObserver;
import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;
import io.github.rpcdiscovery.target.EtcdCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Spring Cloud's {@link ServiceRegistry} on etcd, in go-zero's wire format. Each registered {@link EtcdRegistration}
 * gets its own lease, kept alive and healed by a {@link LeaseKeeper}; deregistering revokes the lease.
 * <p>
 * Status values: {@code UP} (registered) and {@code OUT_OF_SERVICE} (the lease is revoked, so the key and its metadata
 * are gone, but the application keeps running; {@code UP} registers it again, on a new lease). {@code getStatus}
 * answers {@value #UNREGISTERED} for a registration this registry does not hold. The actuator
 * {@code serviceregistry} endpoint reads and sets them.
 */
public final class EtcdServiceRegistry implements ServiceRegistry<EtcdRegistration>, RegistrationStatusProvider {

	private static final Log logger = LogFactory.getLog(EtcdServiceRegistry.class);

	/** Registered and kept alive. */
	public static final String UP = "UP";

	/** Taken out on purpose: no key in etcd, the application still runs. */
	public static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";

	/** Not registered in this registry (never, or deregistered). */
	public static final String UNREGISTERED = "UNREGISTERED";

	/**
	 * Bound on the first attempt, in request timeouts: a grant and a write, and the connection check that names a
	 * failure (15 s with the default 3 s).
	 */
	private static final int FIRST_ATTEMPT_TIMEOUTS = 5;

	private final EtcdConnections connections;

	private final EtcdCluster cluster;

	private final boolean failFast;

	private final Map<EtcdRegistration, LeaseKeeper> keepers = new ConcurrentHashMap<>();

	/** Withdrawn registrations, shown as draining until registered again. */
	private final Map<EtcdRegistration, LeaseKeeper> withdrawn = new ConcurrentHashMap<>();

	private volatile DiscoveryObserver observer = DiscoveryObserver.NONE;

	private final LeaseClock clock;

	/**
	 * @param connections the shared etcd clients
	 * @param cluster the cluster to register in ({@code rpc.etcd})
	 * @param failFast whether {@link #register} throws when the first attempt fails, instead of retrying in the
	 * background
	 */
	public EtcdServiceRegistry(EtcdConnections connections, EtcdCluster cluster, boolean failFast) {
		this(connections, cluster, failFast, LeaseClock.SYSTEM);
	}

	EtcdServiceRegistry(EtcdConnections connections, EtcdCluster cluster, boolean failFast, LeaseClock clock) {
		this.connections = connections;
		this.cluster = cluster;
		this.failFast = failFast;
		this.clock = clock;
	}

	/**
	 * Registers and returns once the first attempt is done. If it failed, the failure was logged (one WARN naming the
	 * cause) and the registration is retried in the background, unless fail-fast is on: then it throws.
	 * Registering the same registration again does nothing.
	 * @throws EtcdRegistrationException with fail-fast, if the first attempt failed
	 * @throws IllegalStateException if the registration has no key or no address
	 */
	@Override
	public void register(EtcdRegistration registration) {
		awaitFirstAttempt(registration, startRegistration(registration));
	}

	/**
	 * Starts registering without waiting: once this returns, the registration is held here, so a concurrent
	 * {@link #withdraw} revokes whatever the first attempt writes.
	 * @return the first attempt
	 * @throws IllegalStateException if the registration has no key or no address
	 */
	public CompletableFuture<Void> startRegistration(EtcdRegistration registration) {
		if (registration.key() == null || registration.address() == null) {
			throw new IllegalStateException("cannot register " + registration + ": it needs a key and an address");
		}
		synchronized (this.keepers) {
			if (this.keepers.containsKey(registration)) {
				return CompletableFuture.completedFuture(null);
			}
			Client client = this.connections.client(this.cluster);
			LeaseKeeper created = new LeaseKeeper(client, this.cluster, registration, this.clock,
					this.connections.requestTimeout());
			created.observe(this.observer);
			this.withdrawn.remove(registration);
			this.keepers.put(registration, created);
			return created.start();
		}
	}

	/**
	 * Waits (a bounded time) for the first attempt. A failure was logged (one WARN naming the cause) and is retried in
	 * the background, unless fail-fast is on: then the registration is dropped and the failure thrown.
	 * @throws EtcdRegistrationException with fail-fast, if the first attempt failed
	 */
	public void awaitFirstAttempt(EtcdRegistration registration, CompletableFuture<Void> firstAttempt) {
		try {
			firstAttempt.get(this.connections.requestTimeout().multipliedBy(FIRST_ATTEMPT_TIMEOUTS).toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (this.failFast && ex.getCause() instanceof EtcdRegistrationException failure) {
				deregister(registration);
				throw failure;
			}
		}
		catch (TimeoutException ex) {
			logger.debug("The first registration of " + registration + " is still running; it goes on in the background");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Revokes the registration's lease (its keys disappear at once) and stops keeping it. */
	@Override
	public void deregister(EtcdRegistration registration) {
		withdraw(registration);
	}

	/**
	 * Deregisters, and says whether the keys really left etcd (so clients are dropping this instance now), rather
	 * than staying until the lease expires because the revoke failed.
	 */
	public boolean withdraw(EtcdRegistration registration) {
		LeaseKeeper keeper = this.keepers.remove(registration);
		if (keeper == null) {
			return false;
		}
		keeper.close();
		this.withdrawn.put(registration, keeper);
		return keeper.wasWithdrawn();
	}

	/** Deregisters everything. */
	@Override
	public void close() {
		List.copyOf(this.keepers.keySet()).forEach(this::deregister);
	}

	/**
	 * {@code UP} or {@code OUT_OF_SERVICE} (case-insensitive).
	 * @throws IllegalArgumentException for any other status
	 * @throws IllegalStateException if the registration is not registered here
	 */
	@Override
	public void setStatus(EtcdRegistration registration, String status) {
		String wanted = (status != null) ? status.strip().toUpperCase(Locale.ROOT) : "";
		if (!wanted.equals(UP) && !wanted.equals(OUT_OF_SERVICE)) {
			throw new IllegalArgumentException("unknown status '" + status + "': use " + UP + " or " + OUT_OF_SERVICE);
		}
		LeaseKeeper keeper = this.keepers.get(registration);
		if (keeper == null) {
			throw new IllegalStateException(registration + " is not registered");
		}
		keeper.setUp(wanted.equals(UP));
	}

	/** {@code UP}, {@code OUT_OF_SERVICE}, or {@value #UNREGISTERED}. */
	@Override
	@SuppressWarnings("unchecked")
	public String getStatus(EtcdRegistration registration) {
		LeaseKeeper keeper = this.keepers.get(registration);
		if (keeper == null) {
			return UNREGISTERED;
		}
		return keeper.isUp() ? UP : OUT_OF_SERVICE;
	}

	/** The key the registration is written under right now; empty while it is not in etcd. */
	public Optional<String> currentKey(EtcdRegistration registration) {
		return currentLease(registration).map(ActiveLease::key);
	}

	/** The lease the registration is written on right now; empty while it is not in etcd. */
	public Optional<Long> currentLeaseId(EtcdRegistration registration) {
		return currentLease(registration).map(ActiveLease::id);
	}

	private Optional<ActiveLease> currentLease(EtcdRegistration registration) {
		LeaseKeeper keeper = this.keepers.get(registration);
		return Optional.ofNullable((keeper != null) ? keeper.currentLease() : null);
	}

	@Override
	public List<RegistrationStatus> registrations() {
		List<LeaseKeeper> all = new ArrayList<>(this.keepers.values());
		all.addAll(this.withdrawn.values());
		return all.stream()
			.map(LeaseKeeper::status)
			.sorted((a, b) -> a.serviceKey().compareTo(b.serviceKey()))
			.toList();
	}

	@Override
	public void observe(DiscoveryObserver observer) {
		this.observer = observer;
		this.keepers.values().forEach((keeper) -> keeper.observe(observer));
	}

	public EtcdCluster cluster() {
		return this.cluster;
	}

}

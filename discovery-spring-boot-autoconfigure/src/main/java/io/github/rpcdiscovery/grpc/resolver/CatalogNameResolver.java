package io.github.rpcdiscovery.grpc.resolver;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.rpcdiscovery.core.CatalogListener;
import io.github.rpcdiscovery.core.InstanceSnapshot;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import org.jspecify.annotations.Nullable;

/**
 * A gRPC name resolver fed by the starter's {@code ServiceCatalog}: it never polls, it is told.
 * <ul>
 * <li>Every catalog change of its service schedules one emission; changes that arrive before that emission ran are
 * collapsed into it, because the emission reads the catalog's latest snapshot, not the change.</li>
 * <li>Address groups are built off the synchronization context (a host name may need a lookup) and handed to the
 * channel inside it, newer snapshots only: an emission overtaken by a newer one is dropped.</li>
 * <li>A registry outage does not change the catalog (it freezes), so the channel keeps the last list; an empty list is
 * only ever sent when the registry says the service has no instance.</li>
 * <li>{@link #refresh()} (the balancer's request when a subchannel fails or goes idle, the channel's retry after a
 * rejected result) resolves again: it reads the catalog's latest snapshot and looks its host names up anew, and emits
 * the result even when the snapshot did not change.</li>
 * <li>{@link #shutdown()} removes the catalog listener: a closed channel leaves nothing behind.</li>
 * </ul>
 */
final class CatalogNameResolver extends NameResolver {

	private final GrpcTarget target;

	private final ServiceDiscovery discovery;

	private final SynchronizationContext syncContext;

	private final Executor offloadExecutor;

	private final CatalogListener catalogListener = (change) -> scheduleEmission();

	private final AtomicBoolean emissionPending = new AtomicBoolean();

	/** How many refreshes were asked for; an emission that read the catalog after one is delivered in any case. */
	private final AtomicLong refreshes = new AtomicLong();

	private final Set<String> unresolvableHosts = ConcurrentHashMap.newKeySet();

	private final AddressGroups.HostLookup hostLookup;

	// the fields below are touched in the synchronization context only

	private @Nullable Listener2 listener;

	private @Nullable ResolutionResult lastResult;

	private long lastVersion = -1;

	private long lastRefreshDelivered;

	private boolean shutdown;

	CatalogNameResolver(GrpcTarget target, ServiceDiscovery discovery, Args args) {
		this(target, discovery, args, InetAddress::getByName);
	}

	CatalogNameResolver(GrpcTarget target, ServiceDiscovery discovery, Args args, AddressGroups.HostLookup hostLookup) {
		this.hostLookup = hostLookup;
		this.target = target;
		this.discovery = discovery;
		this.syncContext = args.getSynchronizationContext();
		this.offloadExecutor = args.getOffloadExecutor();
	}

	@Override
	public String getServiceAuthority() {
		return this.target.authority();
	}

	@Override
	public void start(Listener2 listener) {
		this.listener = listener;
		this.discovery.catalog().addListener(this.target.serviceId(), this.catalogListener);
		// starts the watch if nobody looked the service up yet; the first load (or the timeout) emits
		this.discovery.whenLoaded(this.target.upstream()).whenComplete((snapshot, failure) -> scheduleEmission());
	}

	@Override
	public void refresh() {
		this.refreshes.incrementAndGet();
		scheduleEmission();
	}

	@Override
	public void shutdown() {
		this.shutdown = true;
		this.discovery.catalog().removeListener(this.target.serviceId(), this.catalogListener);
	}

	private void scheduleEmission() {
		if (this.emissionPending.compareAndSet(false, true)) {
			this.offloadExecutor.execute(this::emitLatest);
		}
	}

	/** On the offload executor: reads the latest snapshot and hands its addresses to the synchronization context. */
	private void emitLatest() {
		// cleared before reading, so a change that lands after the read schedules another emission
		this.emissionPending.set(false);
		long refresh = this.refreshes.get();
		InstanceSnapshot snapshot = this.discovery.catalog().snapshot(this.target.serviceId());
		List<EquivalentAddressGroup> groups = (snapshot != null)
				? AddressGroups.of(snapshot.instances(), this.unresolvableHosts, this.hostLookup) : List.of();
		this.syncContext.execute(() -> deliver(snapshot, groups, refresh));
	}

	private void deliver(@Nullable InstanceSnapshot snapshot, List<EquivalentAddressGroup> groups, long refresh) {
		if (this.shutdown || this.listener == null) {
			return;
		}
		if (snapshot == null) {
			if (this.lastResult == null) {
				// the first load timed out (registry down at startup): say so; the channel retries with back-off
				this.listener.onError(Status.UNAVAILABLE.withDescription("no instance list for " + this.target.text()
						+ " yet: " + this.target.upstream().declaredBy() + " has not loaded (is its registry up?)"));
			}
			return;
		}
		boolean refreshed = refresh > this.lastRefreshDelivered;
		if (snapshot.version() < this.lastVersion || (snapshot.version() == this.lastVersion && !refreshed)) {
			return;
		}
		this.lastVersion = snapshot.version();
		this.lastRefreshDelivered = Math.max(this.lastRefreshDelivered, refresh);
		ResolutionResult result = ResolutionResult.newBuilder()
			.setAddressesOrError(StatusOr.fromValue(groups))
			.build();
		this.lastResult = result;
		this.listener.onResult2(result);
	}

	@Override
	public String toString() {
		return "CatalogNameResolver[" + this.target.text() + " -> " + this.target.serviceId() + "]";
	}

}

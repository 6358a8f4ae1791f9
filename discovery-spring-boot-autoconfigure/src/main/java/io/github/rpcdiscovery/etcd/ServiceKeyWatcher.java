package io.github.rpcdiscovery.etcd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.ServiceCatalog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the catalog current for every service id that resolves to one etcd key: mirrors the instances under
 * {@code <key>/}, joins their metadata (from the cluster's {@link ClusterMetadata}, or from its own mirror of
 * {@code _rpc-meta/<key>/} when etcd auth requires it), and publishes the list after every change of either. Service
 * ids that name the same key on the same cluster share one watcher, as go-zero shares one per key.
 * <p>
 * The first publication waits until the metadata is loaded too (or turned out unreadable), so instances do not appear
 * first without their metadata. Data flows one way: from its mirrors and the cluster's metadata into the catalog.
 * Confined to the cluster executor.
 */
final class ServiceKeyWatcher implements PrefixMirror.Owner, ClusterMetadata.Subscriber {

	private static final Log logger = LogFactory.getLog(ServiceKeyWatcher.class);

	private final String key;

	private final ClusterContext cluster;

	private final ClusterLoads loads;

	private final ClusterMetadata metadata;

	private final ServiceCatalog catalog;

	private final PrefixMirror instances;

	private @Nullable PrefixMirror ownMetadata;

	private boolean ownMetadataUnreadable;

	private final InstanceDecoder decoder = new InstanceDecoder();

	/** service id → completes on its first publication */
	private final Map<String, CompletableFuture<Void>> subscribers = new LinkedHashMap<>();

	private boolean published;

	ServiceKeyWatcher(String key, ClusterContext cluster, ClusterLoads loads, ClusterMetadata metadata,
			ServiceCatalog catalog) {
		this.key = key;
		this.cluster = cluster;
		this.loads = loads;
		this.metadata = metadata;
		this.catalog = catalog;
		this.instances = new PrefixMirror(key + "/", cluster, loads, this);
	}

	void start() {
		this.metadata.subscribe(this.key, this);
		this.instances.start();
		if (this.metadata.mode() == ClusterMetadata.Mode.PER_KEY) {
			useOwnMetadata();
		}
	}

	void subscribe(String serviceId, CompletableFuture<Void> firstLoad) {
		CompletableFuture<Void> existing = this.subscribers.putIfAbsent(serviceId, firstLoad);
		if (existing != null) {
			existing.whenComplete((ignored, failure) -> firstLoad.complete(null));
			return;
		}
		if (this.published) {
			publish(serviceId, firstLoad, this.decoder.resolve(this.instances.entries(), metadataEntries()));
		}
	}

	/** @return whether no service id is subscribed any more */
	boolean unsubscribe(String serviceId) {
		this.subscribers.remove(serviceId);
		return this.subscribers.isEmpty();
	}

	@Override
	public void useOwnMetadata() {
		if (this.ownMetadata == null) {
			this.ownMetadata = new PrefixMirror(InstanceMetadataCodec.metadataPrefix(this.key), this.cluster,
					this.loads, this);
			this.ownMetadata.start();
		}
	}

	@Override
	public void useSharedMetadata() {
		if (this.ownMetadata != null) {
			this.ownMetadata.close();
			this.ownMetadata = null;
			this.ownMetadataUnreadable = false;
		}
		publishIfReady();
	}

	@Override
	public void metadataChanged() {
		publishIfReady();
	}

	@Override
	public void mirrorChanged(PrefixMirror mirror, @Nullable Set<String> changedKeys) {
		if (mirror == this.ownMetadata) {
			this.ownMetadataUnreadable = false;
		}
		publishIfReady();
	}

	@Override
	public void mirrorRejected(PrefixMirror mirror, String reason, boolean firstTime) {
		if (firstTime) {
			logger.warn(this.cluster.cluster() + " refuses to list '" + mirror.prefix() + "' (" + reason + "); "
					+ ((mirror == this.instances) ? "keeping the instances read before"
							: "serving the instances of '" + this.key + "' without metadata")
					+ " and retrying");
		}
		if (mirror == this.ownMetadata && !this.ownMetadataUnreadable) {
			// instances without metadata beat no instances
			this.ownMetadataUnreadable = true;
			publishIfReady();
		}
	}

	private boolean metadataReady() {
		return switch (this.metadata.mode()) {
			case SHARED -> true;
			case PER_KEY -> this.ownMetadata != null && (this.ownMetadata.isLoaded() || this.ownMetadataUnreadable);
			default -> false;
		};
	}

	private NavigableMap<String, String> metadataEntries() {
		PrefixMirror own = this.ownMetadata;
		return (own != null) ? own.entries() : this.metadata.entriesOf(this.key);
	}

	private long revision() {
		PrefixMirror own = this.ownMetadata;
		long metadataRevision = (own != null) ? own.revision() : this.metadata.revision();
		return Math.max(this.instances.revision(), metadataRevision);
	}

	private void publishIfReady() {
		if (!this.instances.isLoaded() || !metadataReady()) {
			return;
		}
		List<InstanceDecoder.Resolved> resolved = this.decoder.resolve(this.instances.entries(), metadataEntries());
		this.subscribers.forEach((serviceId, firstLoad) -> publish(serviceId, firstLoad, resolved));
		this.published = true;
	}

	private void publish(String serviceId, CompletableFuture<Void> firstLoad, List<InstanceDecoder.Resolved> resolved) {
		List<DiscoveredInstance> list = new ArrayList<>(resolved.size());
		for (InstanceDecoder.Resolved instance : resolved) {
			list.add(new DiscoveredInstance(serviceId, instance.address(), EtcdDiscoverySource.NAME,
					instance.metadata()));
		}
		this.catalog.update(serviceId, list, "etcd rev " + revision());
		firstLoad.complete(null);
	}

	void close() {
		this.metadata.unsubscribe(this.key);
		this.instances.close();
		if (this.ownMetadata != null) {
			this.ownMetadata.close();
		}
	}

}

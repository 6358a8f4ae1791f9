package io.github.rpcdiscovery.etcd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.ServiceCatalog;

/**
 * Keeps the catalog current for every service id that resolves to one etcd key: mirrors the instances under
 * {@code <key>/} and their metadata under {@code _rpc-meta/<key>/}, and publishes the joined list after every change
 * of either. Service ids that name the same key on the same cluster share one watcher, as go-zero shares one per key.
 * <p>
 * The first publication waits until both prefixes are loaded (or the metadata turned out unreadable), so instances
 * do not appear first without their metadata. Confined to the cluster executor.
 */
final class ServiceKeyWatcher implements PrefixMirror.Owner {

	private final ServiceCatalog catalog;

	private final PrefixMirror instances;

	private final PrefixMirror metadata;

	private final InstanceDecoder decoder = new InstanceDecoder();

	/** service id → completes on its first publication */
	private final Map<String, CompletableFuture<Void>> subscribers = new LinkedHashMap<>();

	private boolean metadataUnreadable;

	private boolean published;

	ServiceKeyWatcher(String key, ClusterWatcher cluster, ServiceCatalog catalog) {
		this.catalog = catalog;
		this.instances = new PrefixMirror(key + "/", cluster, this);
		this.metadata = new PrefixMirror(InstanceMetadataCodec.metadataPrefix(key), cluster, this);
	}

	void start() {
		this.instances.start();
		this.metadata.start();
	}

	void subscribe(String serviceId, CompletableFuture<Void> firstLoad) {
		CompletableFuture<Void> existing = this.subscribers.putIfAbsent(serviceId, firstLoad);
		if (existing != null) {
			existing.whenComplete((ignored, failure) -> firstLoad.complete(null));
			return;
		}
		if (this.published) {
			publish(serviceId, firstLoad, this.decoder.resolve(this.instances.entries(), this.metadata.entries()));
		}
	}

	@Override
	public void mirrorChanged(PrefixMirror mirror) {
		if (mirror == this.metadata) {
			this.metadataUnreadable = false;
		}
		publishIfReady();
	}

	@Override
	public void mirrorRejected(PrefixMirror mirror) {
		if (mirror == this.metadata && !this.metadataUnreadable) {
			// instances without metadata beat no instances (the mirror has said why)
			this.metadataUnreadable = true;
			publishIfReady();
		}
	}

	private void publishIfReady() {
		if (!this.instances.isLoaded() || !(this.metadata.isLoaded() || this.metadataUnreadable)) {
			return;
		}
		List<InstanceDecoder.Resolved> resolved = this.decoder.resolve(this.instances.entries(),
				this.metadata.entries());
		this.subscribers.forEach((serviceId, firstLoad) -> publish(serviceId, firstLoad, resolved));
		this.published = true;
	}

	private void publish(String serviceId, CompletableFuture<Void> firstLoad, List<InstanceDecoder.Resolved> resolved) {
		List<DiscoveredInstance> list = new ArrayList<>(resolved.size());
		for (InstanceDecoder.Resolved instance : resolved) {
			list.add(new DiscoveredInstance(serviceId, instance.address(), EtcdDiscoverySource.NAME,
					instance.metadata()));
		}
		long revision = Math.max(this.instances.revision(), this.metadata.revision());
		this.catalog.update(serviceId, list, "etcd rev " + revision);
		firstLoad.complete(null);
	}

	void close() {
		this.instances.close();
		this.metadata.close();
	}

}

package io.github.rpcdiscovery.loadbalancer;

import java.util.List;

import io.github.rpcdiscovery.cloud.SpringCloudInstances;
import io.github.rpcdiscovery.core.CatalogChange;
import io.github.rpcdiscovery.core.CatalogListener;
import io.github.rpcdiscovery.core.InstanceSnapshot;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Feeds Spring Cloud LoadBalancer straight from the catalog: every subscriber first gets the current list, then each
 * change as it happens. No polling and no TTL cache: a change in etcd or Kubernetes reaches the balancer's next pick.
 * <p>
 * One replaying sink per service; {@link #get()} returns the same {@link Flux} every time, so a pick costs no
 * allocation here. Until the first load of the service, subscribers wait (without blocking a thread) for at most
 * {@code rpc.discovery.initial-load-timeout}, then get what the catalog has. {@link #current()} gives the same list
 * without a subscription, for the balancer's fast path.
 */
public final class CatalogServiceInstanceListSupplier implements ServiceInstanceListSupplier, DisposableBean {

	private final String serviceId;

	private final ServiceDiscovery discovery;

	private final Sinks.Many<List<ServiceInstance>> sink = Sinks.many().replay().latest();

	private final Flux<List<ServiceInstance>> instances = this.sink.asFlux();

	private final CatalogListener listener = this::onChange;

	private long emittedVersion = -1;

	public CatalogServiceInstanceListSupplier(String serviceId, ServiceDiscovery discovery) {
		this.serviceId = serviceId;
		this.discovery = discovery;
		discovery.catalog().addListener(serviceId, this.listener);
		discovery.whenLoaded(serviceId).thenAccept(this::emitFirst);
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		// a pick keeps an unlisted service's watch open (rpc.discovery.unlisted.idle-timeout)
		this.discovery.touch(this.serviceId);
		return this.instances;
	}

	private void onChange(CatalogChange change) {
		emit(change.current());
	}

	private void emitFirst(@Nullable InstanceSnapshot snapshot) {
		if (snapshot != null) {
			emit(snapshot);
			return;
		}
		synchronized (this) {
			// nothing loaded within the initial timeout: answer "no instances" rather than hold requests forever
			if (this.emittedVersion < 0) {
				this.emittedVersion = 0;
				this.sink.tryEmitNext(List.of());
			}
		}
	}

	private synchronized void emit(InstanceSnapshot snapshot) {
		// the first load and the listener race; never let an older snapshot overwrite a newer one
		if (snapshot.version() > this.emittedVersion) {
			this.emittedVersion = snapshot.version();
			List<ServiceInstance> instances = SpringCloudInstances.of(snapshot);
			this.sink.tryEmitNext(instances);
		}
	}

	@Override
	public void destroy() {
		this.discovery.catalog().removeListener(this.serviceId, this.listener);
		this.sink.tryEmitComplete();
	}

}

package io.github.rpcdiscovery.cloud;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.rpcdiscovery.core.CatalogChange;
import io.github.rpcdiscovery.core.CatalogListener;
import io.github.rpcdiscovery.core.ServiceCatalog;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes Spring Cloud's {@link HeartbeatEvent} whenever the catalog changes, with the catalog version as its state
 * (it grows with every change), so Gateway routes and Spring Boot Admin refresh at once, without
 * {@code @EnableScheduling}; also when a registry's set of services changes (a new service, the last instance of
 * one gone), which {@code getServices()} reflects. Events are published off the registry's callback thread, and a burst of changes collapses
 * into one event carrying the latest version.
 */
public final class CatalogHeartbeatPublisher implements CatalogListener, SmartInitializingSingleton, DisposableBean {

	private final ServiceCatalog catalog;

	private final ApplicationEventPublisher publisher;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "rpc-discovery-heartbeat");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicBoolean pending = new AtomicBoolean();

	/**
	 * Closed while the context creates its beans: a listener of the event may be a bean not created yet, and creating
	 * it from the publishing thread would wait on the singleton lock the starting context holds. Changes meanwhile are
	 * published as one event when it opens; the Gateway and Spring Boot Admin read the whole state at startup anyway.
	 */
	private volatile boolean open;

	public CatalogHeartbeatPublisher(ServiceCatalog catalog, ApplicationEventPublisher publisher) {
		this.catalog = catalog;
		this.publisher = publisher;
		catalog.addListener(this);
	}

	@Override
	public void onChange(CatalogChange change) {
		publishSoon();
	}

	/** A service registered for the first time, or its last instance went: the Gateway's routes change. */
	@Override
	public void onServicesChanged() {
		publishSoon();
	}

	private void publishSoon() {
		if (this.pending.compareAndSet(false, true) && this.open) {
			this.executor.execute(this::publish);
		}
	}

	private void publish() {
		this.pending.set(false);
		this.publisher.publishEvent(new HeartbeatEvent(this, this.catalog.version()));
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.open = true;
		if (this.pending.get()) {
			this.executor.execute(this::publish);
		}
	}

	@Override
	public void destroy() {
		this.catalog.removeListener(this);
		this.executor.shutdownNow();
	}

}

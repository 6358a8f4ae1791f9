package io.github.rpcdiscovery.kubernetes;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceEnumeration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The names of the Services of one namespace, kept by a fabric8 informer (list, then watch; fabric8 relists after a
 * lost watch or a 410): what {@code getServices()} lists in Kubernetes mode. Started by the first enumeration and
 * kept until the source closes; the informer's cache holds the Services, the published set only their names.
 * <p>
 * Needs list and watch on {@code services} ({@link KubernetesRbac#SERVICES}). Refused, it does not fail anything: one
 * WARN says which rule to grant, {@link #names()} stays {@code null} (so {@code getServices()} lists the ids looked
 * up) and the informer keeps retrying, so a Role fixed later is picked up without a restart.
 */
final class NamespaceServices implements ServiceEnumeration {

	private static final Log logger = LogFactory.getLog(NamespaceServices.class);

	private final KubernetesClient client;

	private final String namespace;

	private final ServiceCatalog catalog;

	private final CompletableFuture<Void> firstListing = new CompletableFuture<>();

	private final Object lock = new Object();

	private volatile @Nullable Set<String> names;

	private @Nullable SharedIndexInformer<Service> informer;

	private boolean denied;

	private boolean closed;

	NamespaceServices(KubernetesClient client, String namespace, ServiceCatalog catalog) {
		this.client = client;
		this.namespace = namespace;
		this.catalog = catalog;
	}

	@Override
	public @Nullable Set<String> names() {
		return this.names;
	}

	@Override
	public CompletableFuture<Void> firstListing() {
		return this.firstListing;
	}

	void start() {
		SharedIndexInformer<Service> services = this.client.services().inNamespace(this.namespace).runnableInformer(0);
		services.exceptionHandler((started, failure) -> failed(failure));
		services.addEventHandler(new ResourceEventHandler<Service>() {

			@Override
			public void onAdd(Service service) {
				refresh();
			}

			@Override
			public void onUpdate(Service before, Service after) {
			}

			@Override
			public void onDelete(Service service, boolean finalStateUnknown) {
				refresh();
			}

		});
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.informer = services;
		}
		services.start().whenComplete((ignored, failure) -> {
			refresh();
			this.firstListing.complete(null);
		});
	}

	/** Publishes the informer's names if it has listed and they changed: one INFO line, one catalog signal. */
	private void refresh() {
		synchronized (this.lock) {
			SharedIndexInformer<Service> current = this.informer;
			if (current == null || this.closed || !current.hasSynced()) {
				return;
			}
			Set<String> now = new TreeSet<>(current.getStore().listKeys().stream()
				.map((key) -> key.substring(key.indexOf('/') + 1))
				.toList());
			Set<String> before = this.names;
			if (now.equals(before)) {
				return;
			}
			this.names = Set.copyOf(now);
			if (this.denied) {
				this.denied = false;
				logger.info("Kubernetes now allows listing the Services of namespace " + this.namespace);
			}
			logger.info("Services in namespace " + this.namespace + ": " + now.size() + " ("
					+ ((before == null) ? "first listing" : "was " + before.size()) + ")" + changes(before, now));
		}
		this.catalog.servicesChanged();
	}

	private static String changes(@Nullable Set<String> before, Set<String> now) {
		if (before == null) {
			return "";
		}
		Set<String> added = new TreeSet<>(now);
		added.removeAll(before);
		Set<String> removed = new TreeSet<>(before);
		removed.removeAll(now);
		return (added.isEmpty() ? "" : " added " + added) + (removed.isEmpty() ? "" : " removed " + removed);
	}

	/** fabric8's failure callback: keeps retrying until closed; one WARN per refusal. */
	private boolean failed(Throwable failure) {
		int code = InformerFailure.httpStatus(failure);
		synchronized (this.lock) {
			if (this.closed) {
				return false;
			}
			if (InformerFailure.isAccessRefused(code) && !this.denied) {
				this.denied = true;
				KubernetesAccessDeniedException refusal = InformerFailure.accessDenied(failure, KubernetesRbac.SERVICES,
						this.namespace, "", List.of(), this.client.getConfiguration());
				logger.warn(refusal.description() + "\ngetServices() lists the services looked up until then. "
						+ refusal.action());
			}
			else if (!InformerFailure.isAccessRefused(code) && logger.isDebugEnabled()) {
				logger.debug("Listing the Services of namespace " + this.namespace + " failed: "
						+ InformerFailure.describe(failure, code));
			}
		}
		this.firstListing.complete(null);
		return true;
	}

	void close() {
		SharedIndexInformer<Service> current;
		synchronized (this.lock) {
			this.closed = true;
			current = this.informer;
			this.informer = null;
		}
		if (current != null) {
			current.close();
		}
		this.firstListing.complete(null);
	}

}

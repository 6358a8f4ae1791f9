package io.github.rpcdiscovery.kubernetes;

import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jspecify.annotations.Nullable;

/**
 * Creates the informers of one Kubernetes Service, not started: its EndpointSlices (selected by the
 * {@code kubernetes.io/service-name} label), and the Service itself for its labels. Each reports every change and
 * every failure, naming itself, to the callbacks given; it retries a failure for as long as the failure callback
 * says so.
 */
final class ServiceInformers {

	/** The label Kubernetes puts on every EndpointSlice it manages for a Service. */
	static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

	private final KubernetesClient client;

	private final String namespace;

	private final String service;

	private final Consumer<SharedIndexInformer<?>> onChange;

	private final BiPredicate<SharedIndexInformer<?>, Throwable> onFailure;

	ServiceInformers(KubernetesClient client, String namespace, String service,
			Consumer<SharedIndexInformer<?>> onChange, BiPredicate<SharedIndexInformer<?>, Throwable> onFailure) {
		this.client = client;
		this.namespace = namespace;
		this.service = service;
		this.onChange = onChange;
		this.onFailure = onFailure;
	}

	SharedIndexInformer<EndpointSlice> endpointSlices() {
		return prepare(this.client.discovery()
			.v1()
			.endpointSlices()
			.inNamespace(this.namespace)
			.withLabel(SERVICE_NAME_LABEL, this.service)
			.runnableInformer(0));
	}

	SharedIndexInformer<Service> service() {
		return prepare(this.client.services().inNamespace(this.namespace).withName(this.service).runnableInformer(0));
	}

	/** The labels of the Service in this informer's cache; none without an informer. */
	static Map<String, String> labels(@Nullable SharedIndexInformer<Service> serviceInformer) {
		if (serviceInformer == null) {
			return Map.of();
		}
		List<Service> services = serviceInformer.getStore().list();
		if (services.isEmpty() || services.get(0).getMetadata().getLabels() == null) {
			return Map.of();
		}
		return services.get(0).getMetadata().getLabels();
	}

	private <T> SharedIndexInformer<T> prepare(SharedIndexInformer<T> informer) {
		// retried until closed: RBAC can be fixed and the API server can come back without restarting the application
		informer.exceptionHandler((started, failure) -> this.onFailure.test(informer, failure));
		informer.addEventHandler(new ResourceEventHandler<T>() {

			@Override
			public void onAdd(T resource) {
				ServiceInformers.this.onChange.accept(informer);
			}

			@Override
			public void onUpdate(T before, T after) {
				ServiceInformers.this.onChange.accept(informer);
			}

			@Override
			public void onDelete(T resource, boolean finalStateUnknown) {
				ServiceInformers.this.onChange.accept(informer);
			}

		});
		return informer;
	}

}

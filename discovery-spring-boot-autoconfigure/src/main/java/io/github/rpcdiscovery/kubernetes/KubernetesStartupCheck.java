package io.github.rpcdiscovery.kubernetes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.target.Upstream;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Fails startup when the API server denies access to a configured Kubernetes upstream (a {@code k8s://} target in
 * the configuration): RBAC missing is a deployment mistake, better seen in {@code kubectl logs} of a pod that does not
 * start than as an empty instance list. Waits for the first loads at most {@code rpc.discovery.initial-load-timeout};
 * an API server that is merely unreachable does not fail startup (discovery retries in the background).
 * <p>
 * Service ids looked up later (any other id, in Kubernetes mode) are not checked here: a denial then is logged once as
 * an error and shown by the health endpoint.
 */
public final class KubernetesStartupCheck implements SmartInitializingSingleton {

	private final ServiceDiscovery discovery;

	private final KubernetesDiscoverySource source;

	public KubernetesStartupCheck(ServiceDiscovery discovery, KubernetesDiscoverySource source) {
		this.discovery = discovery;
		this.source = source;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<String> configured = new HashSet<>();
		List<CompletableFuture<?>> loads = new ArrayList<>();
		for (Upstream upstream : this.discovery.plan().configured()) {
			if (KubernetesDiscoverySource.NAME.equals(upstream.target().source())) {
				configured.add(upstream.serviceId());
				// never fails, bounded by the initial load timeout
				loads.add(this.discovery.whenLoaded(upstream.serviceId()));
			}
		}
		CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).join();
		List<KubernetesAccessDeniedException> denied = new ArrayList<>();
		for (KubernetesAccessDeniedException problem : this.source.accessProblems()) {
			if (problem.getServiceIds().stream().anyMatch(configured::contains)) {
				denied.add(problem);
			}
		}
		if (!denied.isEmpty()) {
			KubernetesAccessDeniedException first = denied.get(0);
			denied.subList(1, denied.size()).forEach(first::addSuppressed);
			throw first;
		}
		this.source.startupChecked();
	}

}

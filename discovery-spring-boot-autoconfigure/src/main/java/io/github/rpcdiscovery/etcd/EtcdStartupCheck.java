package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.Upstream;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * With {@code rpc.etcd.fail-fast=true}: fails startup, before the web server listens, when an etcd cluster the
 * configuration names cannot be used. A cluster with configured services must deliver their first lists within
 * {@code rpc.discovery.initial-load-timeout}; the default cluster ({@code rpc.etcd.hosts}) without any must answer a
 * member list. The failure names the cause (unreachable, credentials, permission, TLS) and the fix.
 * <p>
 * Without fail-fast nothing is checked: the application starts, discovery retries in the background, and the cluster's
 * outage is logged once.
 */
public final class EtcdStartupCheck implements SmartInitializingSingleton {

	private final ServiceDiscovery discovery;

	private final EtcdDiscoverySource source;

	private final EtcdConnections connections;

	private final Duration timeout;

	public EtcdStartupCheck(ServiceDiscovery discovery, EtcdDiscoverySource source, EtcdConnections connections,
			Duration timeout) {
		this.discovery = discovery;
		this.source = source;
		this.connections = connections;
		this.timeout = timeout;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<EtcdCluster, List<String>> clusters = new LinkedHashMap<>();
		EtcdCluster defaultCluster = this.discovery.plan().defaultEtcd();
		if (defaultCluster != null) {
			clusters.put(defaultCluster, new ArrayList<>());
		}
		List<CompletableFuture<?>> loads = new ArrayList<>();
		for (Upstream upstream : this.discovery.plan().configured()) {
			if (upstream.target() instanceof EtcdTarget target) {
				clusters.computeIfAbsent(target.cluster(), (c) -> new ArrayList<>()).add(upstream.serviceId());
				// never fails, bounded by the initial load timeout
				loads.add(this.discovery.whenLoaded(upstream.serviceId()));
			}
		}
		CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).join();
		clusters.forEach(this::check);
	}

	private void check(EtcdCluster cluster, List<String> serviceIds) {
		List<String> missing = serviceIds.stream()
			.filter((id) -> this.discovery.catalog().snapshot(id) == null)
			.toList();
		Throwable failure;
		if (!serviceIds.isEmpty()) {
			if (missing.isEmpty()) {
				return;
			}
			failure = this.source.lastFailure(cluster);
		}
		else {
			failure = memberListFailure(cluster);
			if (failure == null) {
				return;
			}
		}
		EtcdFailure classified = EtcdFailure.of((failure != null) ? failure : new TimeoutException(), cluster);
		String what = missing.isEmpty() ? "could not be reached"
				: "did not deliver the instances of " + String.join(", ", missing) + " within " + this.timeout.toMillis()
						+ "ms";
		throw new EtcdStartupException(cluster + " " + what + ": " + classified.description(), classified,
				classified.fix(cluster), missing);
	}

	private @Nullable Throwable memberListFailure(EtcdCluster cluster) {
		try {
			this.connections.client(cluster)
				.getClusterClient()
				.listMember()
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ex;
		}
		catch (Exception ex) {
			return ex;
		}
	}

}

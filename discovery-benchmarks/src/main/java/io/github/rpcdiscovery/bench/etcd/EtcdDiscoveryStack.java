package io.github.rpcdiscovery.bench.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;

import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * What a client application runs for etcd discovery, without Spring: catalog, the etcd source on the shared client
 * registry, {@link ServiceDiscovery} with the cluster as the default for any service id, and Spring Cloud's
 * {@link DiscoveryClient}. Production settings.
 */
final class EtcdDiscoveryStack implements AutoCloseable {

	final ServiceCatalog catalog = new ServiceCatalog();

	final EtcdConnections connections = new EtcdConnections();

	final EtcdDiscoverySource source;

	final ServiceDiscovery discovery;

	final DiscoveryClient client;

	EtcdDiscoveryStack(List<String> hosts) {
		this.source = new EtcdDiscoverySource(this.catalog, this.connections);
		this.discovery = new ServiceDiscovery(this.catalog, new DiscoveryPlan(List.of(), EtcdCluster.of(hosts), null),
				List.of(this.source), Duration.ofSeconds(10));
		this.client = new RpcDiscoveryClient(this.discovery, 0);
	}

	/** A plain jetcd client, for the raw baselines and for writing. */
	static Client rawClient(String hostAndPort) {
		return Client.builder().endpoints(URI.create("http://" + hostAndPort)).build();
	}

	@Override
	public void close() {
		this.discovery.close();
		this.source.close();
		this.connections.close();
	}

}

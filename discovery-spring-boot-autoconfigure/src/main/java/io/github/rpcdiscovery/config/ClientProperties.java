package io.github.rpcdiscovery.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One named upstream (go-zero's named client config, e.g. UserRpc:). When several of endpoints, target and etcd
 * are set, go-zero's precedence applies: endpoints, then target, then etcd.
 *
 * @param name The service id to call it by, e.g. http://user.rpc/; defaults to the etcd key or the service
 * the target names.
 * @param endpoints A static list of host:port (go-zero: Endpoints).
 * @param target Where the instances come from (go-zero: Target): k8s://, etcd:///, etcd://, discov:// or direct:///.
 * @param etcd Hosts (default: rpc.etcd.hosts) and the key of the service to call (go-zero: Etcd).
 * @param loadBalancer How @LoadBalanced clients choose an instance of this service: p2c, round-robin or random.
 * Defaults to rpc.load-balancer.
 * @param canary A canary share of this service's calls without a hint: version (the value of
 * rpc.balancer.subset.key) and percent, e.g. {version: v2, percent: 5}.
 */
public record ClientProperties(@Nullable String name, @DefaultValue List<String> endpoints, @Nullable String target,
		@DefaultValue EtcdProperties etcd, @Nullable LoadBalancerType loadBalancer,
		@Nullable CanaryProperties canary) {

	@ConstructorBinding
	public ClientProperties {
		endpoints = (endpoints != null) ? List.copyOf(endpoints) : List.of();
		etcd = (etcd != null) ? etcd : EtcdProperties.empty();
	}

	/** A client block that uses rpc.load-balancer. */
	public ClientProperties(@Nullable String name, List<String> endpoints, @Nullable String target,
			EtcdProperties etcd) {
		this(name, endpoints, target, etcd, null, null);
	}

}

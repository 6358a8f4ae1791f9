package io.github.rpcdiscovery.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rpc: block: go-zero's zrpc client and server configuration. go-zero's own YAML, with its capitalised keys
 * (Rpc: Etcd: Hosts:), binds as is.
 *
 * @param name The service id that the top-level endpoints or target answer to. Defaults to the service
 * the target names (the Kubernetes service, the etcd key); required with endpoints or a direct:///
 * target, which name no service.
 * @param endpoints A static list of host:port for the service named by rpc.name (go-zero: Endpoints). Wins over
 * target.
 * @param target Where the instances of the service named by rpc.name come from (go-zero: Target):
 * k8s://namespace/service:port, etcd:///host:2379?key=service.key, etcd://host:2379/service.key,
 * discov://host:2379/service.key or direct:///host:port,host:port.
 * @param etcd The etcd cluster this application registers in and discovers any service id from (go-zero: Etcd).
 * @param clients Named upstreams, each with its own endpoints, target or etcd block (go-zero's named client configs).
 * @param listenOn The address this application registers (go-zero: ListenOn). The host is registered as given
 * unless it is empty or 0.0.0.0 (then POD_IP, then the first non-loopback address); a port, if given, replaces the web
 * server's port in the registration.
 * @param discovery How discovery behaves.
 * @param loadBalancer How @LoadBalanced clients choose an instance of a service this starter resolves: p2c (go-zero's
 * p2c_ewma: power of two choices over a decaying average of latency and success, the default), round-robin or random.
 * Every choice skips an instance that refused a connection or failed several calls in a row until it answers again.
 * A client block's own load-balancer wins over this one.
 */
@ConfigurationProperties("rpc")
public record RpcProperties(@Nullable String name, @DefaultValue List<String> endpoints, @Nullable String target,
		@DefaultValue @NestedConfigurationProperty EtcdProperties etcd, @DefaultValue List<ClientProperties> clients,
		@Nullable String listenOn,
		@DefaultValue @NestedConfigurationProperty DiscoveryProperties discovery,
		@DefaultValue("p2c") LoadBalancerType loadBalancer) {

	@ConstructorBinding
	public RpcProperties {
		endpoints = (endpoints != null) ? List.copyOf(endpoints) : List.of();
		clients = (clients != null) ? List.copyOf(clients) : List.of();
		loadBalancer = (loadBalancer != null) ? loadBalancer : LoadBalancerType.P2C;
	}

	/** Properties with the default load balancer. */
	public RpcProperties(@Nullable String name, List<String> endpoints, @Nullable String target, EtcdProperties etcd,
			List<ClientProperties> clients, @Nullable String listenOn, DiscoveryProperties discovery) {
		this(name, endpoints, target, etcd, clients, listenOn, discovery, LoadBalancerType.P2C);
	}

	/** Properties with nothing set, as an application without an {@code rpc:} block gets them. */
	public static RpcProperties empty() {
		return new RpcProperties(null, List.of(), null, EtcdProperties.empty(), List.of(), null,
				DiscoveryProperties.defaults());
	}

}

package io.github.rpcdiscovery.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import io.github.rpcdiscovery.target.DirectTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.EtcdTarget;
import io.github.rpcdiscovery.target.HostAndPort;
import io.github.rpcdiscovery.target.KubernetesTarget;
import io.github.rpcdiscovery.target.RpcTarget;
import io.github.rpcdiscovery.target.TargetParser;
import io.github.rpcdiscovery.target.Upstream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Validates the {@code rpc:} block and turns it into a {@link DiscoveryPlan}. Every rejection is an
 * {@link InvalidRpcPropertyException} naming the property, the value and the fix.
 * <p>
 * Service ids: a client block answers to its {@code name}, else to the service its target or etcd key names. The
 * top-level {@code endpoints}/{@code target} answer to {@code rpc.name}, else to the service the target names. The
 * top-level {@code etcd} block is this application's own registration and the cluster any other id is looked up in.
 */
public final class DiscoveryPlanResolver {

	private static final Log logger = LogFactory.getLog(DiscoveryPlanResolver.class);

	static final Duration MIN_TTL = Duration.ofSeconds(2);

	/** Shorter than this, etcd calls time out even on a healthy local cluster. */
	static final Duration MIN_REQUEST_TIMEOUT = Duration.ofMillis(100);

	/** go-zero's request timeout: the default of {@code rpc.etcd.request-timeout} unless the TTL is short. */
	static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);

	private DiscoveryPlanResolver() {
	}

	/**
	 * Resolves the block and logs what it ignores (go-zero's precedence) at WARN. Called once per application, by the
	 * auto-configuration that defines the plan bean; anything else that needs the plan reads that bean.
	 */
	public static DiscoveryPlan resolve(RpcProperties properties) {
		return resolve(properties, logger::warn);
	}

	/**
	 * Resolves the block and hands what it ignores to {@code warnings} instead of the log: for a condition, which
	 * runs before the plan bean exists and must not repeat the plan's warnings.
	 */
	public static DiscoveryPlan resolve(RpcProperties properties, Consumer<String> warnings) {
		EtcdCluster defaultEtcd = defaultCluster(properties.etcd());
		List<Upstream> upstreams = new ArrayList<>();
		String kubernetesNamespace = null;
		RpcTarget topLevel = clientTarget("rpc", properties.endpoints(), properties.target(), null, defaultEtcd,
				warnings);
		if (topLevel != null) {
			String id = serviceId("rpc", properties.name(), topLevel);
			upstreams.add(new Upstream(id, topLevel, (properties.endpoints().isEmpty() ? "rpc.target" : "rpc.endpoints")));
			if (topLevel instanceof KubernetesTarget kubernetes) {
				kubernetesNamespace = kubernetes.namespace();
			}
		}
		List<ClientProperties> clients = properties.clients();
		for (int i = 0; i < clients.size(); i++) {
			String prefix = "rpc.clients[" + i + "]";
			ClientProperties client = clients.get(i);
			RpcTarget target = clientTarget(prefix, client.endpoints(), client.target(), client.etcd(), defaultEtcd,
					warnings);
			if (target == null) {
				throw new InvalidRpcPropertyException(prefix, describe(client), "the client block says nowhere to find "
						+ "its instances", "set one of " + prefix + ".endpoints, " + prefix + ".target or " + prefix
						+ ".etcd.key");
			}
			upstreams.add(new Upstream(serviceId(prefix, client.name(), target), target, prefix));
		}
		checkUnique(upstreams);
		return new DiscoveryPlan(upstreams, defaultEtcd, kubernetesNamespace);
	}

	private static @Nullable EtcdCluster defaultCluster(EtcdProperties etcd) {
		validateEtcd("rpc.etcd", etcd);
		requestTimeout(etcd);
		if (etcd.hosts().isEmpty()) {
			if (etcd.key() != null && !etcd.key().isBlank()) {
				throw new InvalidRpcPropertyException("rpc.etcd.hosts", "[]", "rpc.etcd.key is set ('" + etcd.key()
						+ "') but no etcd host is", "list the etcd endpoints, e.g. rpc.etcd.hosts: [127.0.0.1:2379]");
			}
			return null;
		}
		return cluster(etcd.hosts(), etcd);
	}

	/** go-zero's precedence in a client block: Endpoints, then Target, then Etcd. */
	private static @Nullable RpcTarget clientTarget(String prefix, List<String> endpoints, @Nullable String target,
			@Nullable EtcdProperties etcd, @Nullable EtcdCluster defaultEtcd, Consumer<String> warnings) {
		boolean hasEndpoints = !endpoints.isEmpty();
		boolean hasTarget = target != null && !target.isBlank();
		boolean hasEtcd = etcd != null && etcd.isConfigured();
		warnIfSeveral(prefix, hasEndpoints, hasTarget, hasEtcd, warnings);
		if (hasEndpoints) {
			return new DirectTarget(endpoints(prefix + ".endpoints", endpoints));
		}
		if (hasTarget) {
			return parsedTarget(prefix + ".target", target, etcd, defaultEtcd);
		}
		if (hasEtcd) {
			validateEtcd(prefix + ".etcd", etcd);
			if (etcd.key() == null || etcd.key().isBlank()) {
				throw new InvalidRpcPropertyException(prefix + ".etcd.key", "", "the client block has etcd hosts but no"
						+ " key", "set " + prefix + ".etcd.key to the key the service registers under, e.g. user.rpc");
			}
			return new EtcdTarget(blockCluster(prefix + ".etcd.hosts", etcd.hosts(), etcd, defaultEtcd), etcd.key());
		}
		return null;
	}

	/**
	 * Parses a go-zero target written outside the {@code rpc:} block (a gRPC channel's address) by the same rules as
	 * {@code rpc.target}: an etcd target without hosts uses {@code rpc.etcd}, one naming {@code rpc.etcd}'s hosts
	 * shares its account and TLS.
	 * @param property the property that holds the value, for the error
	 * @param value the target
	 * @param defaultEtcd the cluster of {@code rpc.etcd}, or {@code null}
	 * @throws InvalidRpcPropertyException naming the property if the target is not valid
	 */
	public static RpcTarget target(String property, String value, @Nullable EtcdCluster defaultEtcd) {
		return parsedTarget(property, value, null, defaultEtcd);
	}

	private static RpcTarget parsedTarget(String property, String value, @Nullable EtcdProperties etcd,
			@Nullable EtcdCluster defaultEtcd) {
		RpcTarget parsed;
		try {
			parsed = TargetParser.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRpcPropertyException(property, value, ex.getMessage(),
					"write the target as one of " + TargetParser.SUPPORTED);
		}
		if (parsed instanceof EtcdTarget etcdTarget) {
			EtcdProperties account = (etcd != null) ? etcd : EtcdProperties.empty();
			return new EtcdTarget(blockCluster(property, etcdTarget.cluster().hosts(), account, defaultEtcd),
					etcdTarget.key());
		}
		return parsed;
	}

	/**
	 * A block's cluster: its own hosts (else the default cluster's); its own account and TLS (else the default
	 * cluster's when the hosts are the same, as go-zero shares them per cluster).
	 */
	private static EtcdCluster blockCluster(String property, List<String> hosts, EtcdProperties account,
			@Nullable EtcdCluster defaultEtcd) {
		if (hosts.isEmpty()) {
			if (defaultEtcd == null) {
				throw new InvalidRpcPropertyException(property, "[]", "no etcd host is given here and rpc.etcd.hosts"
						+ " is empty", "list the etcd endpoints here or in rpc.etcd.hosts, e.g. [127.0.0.1:2379]");
			}
			return withAccount(defaultEtcd, account);
		}
		EtcdCluster own = cluster(hosts, account);
		if (defaultEtcd != null && own.hosts().equals(defaultEtcd.hosts())) {
			return withAccount(defaultEtcd, account);
		}
		return own;
	}

	private static EtcdCluster withAccount(EtcdCluster cluster, EtcdProperties account) {
		boolean ownAccount = account.user() != null || account.caCertFile() != null || account.certFile() != null
				|| account.insecureSkipVerify();
		return ownAccount ? cluster(cluster.hosts(), account) : cluster;
	}

	private static EtcdCluster cluster(List<String> hosts, EtcdProperties etcd) {
		List<String> bare = hosts.stream().map(DiscoveryPlanResolver::withoutScheme).toList();
		return new EtcdCluster(bare, etcd.user(), etcd.pass(), etcd.certFile(), etcd.certKeyFile(), etcd.caCertFile(),
				etcd.insecureSkipVerify());
	}

	static void validateEtcd(String prefix, EtcdProperties etcd) {
		List<String> hosts = etcd.hosts();
		for (int i = 0; i < hosts.size(); i++) {
			String host = hosts.get(i);
			String property = prefix + ".hosts[" + i + "]";
			if (host == null || host.isBlank()) {
				throw new InvalidRpcPropertyException(property, String.valueOf(host), "the etcd host list has a blank"
						+ " entry", "remove the blank entry or write the endpoint as host:port, e.g. 127.0.0.1:2379");
			}
			hostAndPort(property, withoutScheme(host), "write the etcd endpoint as host:port, e.g. 127.0.0.1:2379");
		}
		checkTtl(prefix, etcd);
		if (etcd.id() < 0) {
			throw new InvalidRpcPropertyException(prefix + ".id", etcd.id(), "the id is negative",
					"set a positive id, or 0 to use the lease id as the key suffix");
		}
		boolean cert = etcd.certFile() != null && !etcd.certFile().isBlank();
		boolean key = etcd.certKeyFile() != null && !etcd.certKeyFile().isBlank();
		if (cert && !key) {
			throw new InvalidRpcPropertyException(prefix + ".cert-key-file", "", prefix + ".cert-file is set ('"
					+ etcd.certFile() + "') but its private key is not", "set " + prefix + ".cert-key-file to the PEM"
							+ " private key of the client certificate (PKCS#8)");
		}
		if (key && !cert) {
			throw new InvalidRpcPropertyException(prefix + ".cert-file", "", prefix + ".cert-key-file is set but the"
					+ " client certificate is not", "set " + prefix + ".cert-file to the PEM client certificate");
		}
	}

	/**
	 * The deadline of every etcd request, {@code rpc.etcd.request-timeout}, checked as the plan checks it: for the
	 * shared etcd clients, which may be created before the plan. Only the top-level block sets it. Spring binds a bare
	 * number as milliseconds (ttl is seconds), so {@code request-timeout: 5} would fail every call. Registration grants
	 * a lease and then writes the key, each within the timeout: at half the TTL or more, the lease can expire before
	 * its first renewal.
	 * @param etcd the top-level {@code rpc.etcd} block
	 * @return the timeout set, or by default 3s (a third of the TTL when that is shorter)
	 * @throws InvalidRpcPropertyException if the timeout is below 100ms or at least half of {@code rpc.etcd.ttl}, or
	 * the TTL itself is below 2s
	 */
	public static Duration requestTimeout(EtcdProperties etcd) {
		checkTtl("rpc.etcd", etcd);
		String property = "rpc.etcd.request-timeout";
		Duration timeout = etcd.requestTimeout();
		if (timeout == null) {
			// go-zero's request timeout, shortened for a short TTL so that the default never fails the check below
			Duration thirdOfTtl = etcd.ttl().dividedBy(3);
			return (thirdOfTtl.compareTo(DEFAULT_REQUEST_TIMEOUT) < 0) ? thirdOfTtl : DEFAULT_REQUEST_TIMEOUT;
		}
		if (timeout.compareTo(MIN_REQUEST_TIMEOUT) < 0) {
			long millis = timeout.toMillis();
			String fix = (millis > 0) ? "a bare number is milliseconds: write " + millis + "s, not " + millis
					+ " (100ms or more, below half of rpc.etcd.ttl); go-zero uses 3s"
					: "set " + property + " to 100ms or more, below half of rpc.etcd.ttl; go-zero uses 3s";
			throw new InvalidRpcPropertyException(property, print(timeout), "the deadline of each etcd request is below "
					+ print(MIN_REQUEST_TIMEOUT) + ", so etcd calls fail even when etcd is healthy", fix);
		}
		Duration halfTtl = etcd.ttl().dividedBy(2);
		if (timeout.compareTo(halfTtl) >= 0) {
			throw new InvalidRpcPropertyException(property, print(timeout), "it is at least half of rpc.etcd.ttl ("
					+ print(etcd.ttl()) + "): a lease grant and a key write that take this long can let the lease"
					+ " expire before its first renewal", "set " + property + " below " + print(halfTtl)
							+ ", or raise rpc.etcd.ttl above " + print(timeout.multipliedBy(2)));
		}
		return timeout;
	}

	private static void checkTtl(String prefix, EtcdProperties etcd) {
		if (etcd.ttl().compareTo(MIN_TTL) < 0) {
			throw new InvalidRpcPropertyException(prefix + ".ttl", print(etcd.ttl()), "etcd grants leases of at least 2s"
					+ " (it silently raises shorter ones)", "set " + prefix + ".ttl to 2s or more; go-zero uses 10s");
		}
	}

	private static List<HostAndPort> endpoints(String property, List<String> values) {
		List<HostAndPort> endpoints = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			endpoints.add(hostAndPort(property + "[" + i + "]", values.get(i),
					"write each endpoint as host:port, e.g. 127.0.0.1:8080 ([::1]:8080 for IPv6)"));
		}
		return endpoints;
	}

	private static HostAndPort hostAndPort(String property, String value, String fix) {
		try {
			return HostAndPort.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRpcPropertyException(property, String.valueOf(value), ex.getMessage(), fix);
		}
	}

	private static String serviceId(String prefix, @Nullable String name, RpcTarget target) {
		if (name != null && !name.isBlank()) {
			return name.strip();
		}
		if (target.impliedServiceId() != null) {
			return target.impliedServiceId();
		}
		String nameProperty = prefix.equals("rpc") ? "rpc.name" : prefix + ".name";
		throw new InvalidRpcPropertyException(nameProperty, "", "a static endpoint list names no service, so no"
				+ " service id answers to it", "add " + nameProperty + ": <service-id> and call http://<service-id>/");
	}

	private static void checkUnique(List<Upstream> upstreams) {
		Set<String> seen = new HashSet<>();
		for (Upstream upstream : upstreams) {
			if (!seen.add(upstream.serviceId())) {
				throw new InvalidRpcPropertyException(upstream.declaredBy() + ".name", upstream.serviceId(),
						"another upstream already answers to this service id", "give each client block its own name");
			}
		}
	}

	private static void warnIfSeveral(String prefix, boolean endpoints, boolean target, boolean etcd,
			Consumer<String> warnings) {
		int count = (endpoints ? 1 : 0) + (target ? 1 : 0) + (etcd ? 1 : 0);
		if (count > 1 && !prefix.equals("rpc")) {
			String winner = endpoints ? "endpoints" : "target";
			warnings.accept(prefix + " sets " + (endpoints ? "endpoints, " : "") + (target ? "target, " : "")
					+ (etcd ? "etcd, " : "") + "of which go-zero's precedence (endpoints, then target, then etcd)"
					+ " uses " + prefix + "." + winner + "; the others are ignored");
		}
		else if (endpoints && target) {
			warnings.accept("rpc sets endpoints and target; go-zero's precedence uses rpc.endpoints, rpc.target is ignored");
		}
	}

	private static String print(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	private static String withoutScheme(String host) {
		String lower = host.strip().toLowerCase(Locale.ROOT);
		if (lower.startsWith("http://")) {
			return host.strip().substring(7);
		}
		if (lower.startsWith("https://")) {
			return host.strip().substring(8);
		}
		return host.strip();
	}

	private static String describe(ClientProperties client) {
		return "name=" + client.name();
	}

}

package io.github.rpcdiscovery.autoconfigure;

import java.util.Arrays;
import java.util.List;

import io.github.rpcdiscovery.config.EtcdProperties;
import io.github.rpcdiscovery.config.RpcProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.ConditionContext;

/**
 * Where {@link EtcdConnectionDetails} meet the {@code rpc:} block: the conditions that switch etcd on, and the plan
 * that reads its default cluster from them.
 */
final class EtcdConnectionDetailsBeans {

	private EtcdConnectionDetailsBeans() {
	}

	/**
	 * Beans of {@link EtcdConnectionDetails} other than the default from {@code rpc.etcd.*}: an application's own, or
	 * one from {@code @ServiceConnection} or Docker Compose. Needs the bean-registration phase to see them.
	 */
	static List<String> declared(ConditionContext context) {
		ConfigurableListableBeanFactory beans = context.getBeanFactory();
		if (beans == null) {
			return List.of();
		}
		return Arrays.stream(beans.getBeanNamesForType(EtcdConnectionDetails.class, true, false))
			.filter((name) -> {
				Class<?> type = beans.getType(name, false);
				return type == null || !PropertiesEtcdConnectionDetails.class.isAssignableFrom(type);
			})
			.toList();
	}

	/** The {@code rpc:} block with its etcd endpoints, account and TLS taken from the connection details. */
	static RpcProperties applyTo(RpcProperties rpc, @Nullable EtcdConnectionDetails details) {
		if (details == null || details instanceof PropertiesEtcdConnectionDetails) {
			return rpc;
		}
		EtcdProperties own = rpc.etcd();
		EtcdConnectionDetails.Tls tls = details.getTls();
		EtcdProperties etcd = new EtcdProperties(details.getHosts(), own.key(), own.id(), details.getUser(),
				details.getPassword(), (tls != null) ? tls.certFile() : null, (tls != null) ? tls.certKeyFile() : null,
				(tls != null) ? tls.caCertFile() : null, tls != null && tls.insecureSkipVerify(), own.ttl(),
				own.requestTimeout());
		return new RpcProperties(rpc.name(), rpc.endpoints(), rpc.target(), etcd, rpc.clients(), rpc.listenOn(),
				rpc.discovery(), rpc.loadBalancer());
	}

}

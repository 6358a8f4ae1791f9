package io.github.rpcdiscovery.autoconfigure;

import io.github.rpcdiscovery.config.DiscoveryPlanResolver;
import io.github.rpcdiscovery.config.RpcProperties;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The configuration discovers in etcd: {@code rpc.etcd.hosts}, an {@code etcd://} target or a client block with etcd
 * hosts; or an {@link EtcdConnectionDetails} bean. Reads the properties, not the plan bean, because conditions run
 * before beans exist; a malformed {@code rpc:} block does not match here and is reported by the plan.
 */
class OnEtcdDiscoveryCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (!EtcdConnectionDetailsBeans.declared(context).isEmpty()) {
			return ConditionOutcome.match("an EtcdConnectionDetails bean names etcd");
		}
		try {
			RpcProperties rpc = Binder.get(context.getEnvironment()).bindOrCreate("rpc", RpcProperties.class);
			// quietly: the plan bean logs the block's warnings, once
			return DiscoveryPlanResolver.resolve(rpc, (warning) -> {
			}).uses("etcd") ? ConditionOutcome.match("etcd is configured")
					: ConditionOutcome.noMatch("no etcd hosts and no etcd target");
		}
		catch (RuntimeException ex) {
			return ConditionOutcome.noMatch("the rpc block does not resolve: " + ex.getMessage());
		}
	}

}

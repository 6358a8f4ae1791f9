package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@code rpc.etcd.hosts} is empty and no {@link EtcdConnectionDetails} bean names etcd: this application does not
 * register in etcd.
 */
class OnNoEtcdHostsCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (!EtcdConnectionDetailsBeans.declared(context).isEmpty()) {
			return ConditionOutcome.noMatch("an EtcdConnectionDetails bean names etcd: etcd registration applies");
		}
		List<String> hosts = OnEtcdHostsCondition.hosts(context);
		return hosts.stream().allMatch(String::isBlank) ? ConditionOutcome.match("rpc.etcd.hosts is empty")
				: ConditionOutcome.noMatch("rpc.etcd.hosts is set: etcd registration applies");
	}

}

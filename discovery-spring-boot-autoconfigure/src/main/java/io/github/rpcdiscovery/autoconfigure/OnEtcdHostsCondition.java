package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@code rpc.etcd.hosts} lists at least one endpoint, in any form the binder accepts: a YAML list, indexed properties,
 * a comma-separated value, or go-zero's {@code Rpc: Etcd: Hosts:} pasted as is (which {@code @ConditionalOnProperty}
 * would not see); or an {@link EtcdConnectionDetails} bean says where etcd is (evaluated when beans are registered,
 * so that such a bean is seen).
 */
final class OnEtcdHostsCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		List<String> details = EtcdConnectionDetailsBeans.declared(context);
		if (!details.isEmpty()) {
			return ConditionOutcome.match("EtcdConnectionDetails bean " + details);
		}
		List<String> hosts = hosts(context);
		boolean any = hosts.stream().anyMatch((host) -> host != null && !host.isBlank());
		return any ? ConditionOutcome.match("rpc.etcd.hosts is " + hosts)
				: ConditionOutcome.noMatch("rpc.etcd.hosts is not set: nothing to register in");
	}

	static List<String> hosts(ConditionContext context) {
		return Binder.get(context.getEnvironment())
			.bind("rpc.etcd.hosts", Bindable.listOf(String.class))
			.orElse(List.of());
	}

}

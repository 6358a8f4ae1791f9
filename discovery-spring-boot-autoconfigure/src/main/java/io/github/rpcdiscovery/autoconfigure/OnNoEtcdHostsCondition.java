package io.github.rpcdiscovery.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** {@code rpc.etcd.hosts} is empty: this application does not register in etcd. */
class OnNoEtcdHostsCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		List<String> hosts = Binder.get(context.getEnvironment())
			.bind("rpc.etcd.hosts", Bindable.listOf(String.class))
			.orElse(List.of());
		return hosts.stream().allMatch(String::isBlank) ? ConditionOutcome.match("rpc.etcd.hosts is empty")
				: ConditionOutcome.noMatch("rpc.etcd.hosts is set: etcd registration applies");
	}

}

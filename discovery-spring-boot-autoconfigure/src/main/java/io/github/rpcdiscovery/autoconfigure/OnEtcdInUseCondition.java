package io.github.rpcdiscovery.autoconfigure;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.context.annotation.Conditional;

/** Something talks to etcd: discovery resolves a service there, or the application registers there. */
class OnEtcdInUseCondition extends AnyNestedCondition {

	OnEtcdInUseCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@Conditional(OnEtcdDiscoveryCondition.class)
	static class EtcdDiscovery {

	}

	@Conditional(OnEtcdHostsCondition.class)
	static class EtcdRegistration {

	}

}

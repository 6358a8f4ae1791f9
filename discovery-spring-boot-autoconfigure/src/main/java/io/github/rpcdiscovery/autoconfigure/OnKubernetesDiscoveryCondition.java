package io.github.rpcdiscovery.autoconfigure;

import java.util.Locale;

import io.github.rpcdiscovery.config.ClientProperties;
import io.github.rpcdiscovery.config.RpcProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Kubernetes discovery is wanted: {@code rpc.kubernetes.enabled=true}, or (unless it is {@code false}) a
 * {@code k8s://} target or {@code rpc.kubernetes.namespace}. Reads the properties, not the plan bean, because conditions
 * run before beans exist; a malformed {@code rpc:} block does not match here and is reported by the plan.
 */
class OnKubernetesDiscoveryCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (!OnRpcConfiguredCondition.hasRpcProperties(context.getEnvironment())) {
			// checked when configuration classes are parsed, before the starter's own condition: bind nothing
			return ConditionOutcome.noMatch("no rpc.* property");
		}
		Binder binder = Binder.get(context.getEnvironment());
		Boolean enabled = binder.bind("rpc.kubernetes.enabled", Boolean.class).orElse(null);
		if (Boolean.FALSE.equals(enabled)) {
			return ConditionOutcome.noMatch("rpc.kubernetes.enabled is false");
		}
		if (Boolean.TRUE.equals(enabled)) {
			return ConditionOutcome.match("rpc.kubernetes.enabled is true");
		}
		if (!binder.bind("rpc.kubernetes.namespace", String.class).orElse("").isBlank()) {
			return ConditionOutcome.match("rpc.kubernetes.namespace is set");
		}
		RpcProperties rpc;
		try {
			rpc = binder.bindOrCreate("rpc", RpcProperties.class);
		}
		catch (RuntimeException ex) {
			return ConditionOutcome.noMatch("the rpc block does not bind: " + ex.getMessage());
		}
		if (isKubernetes(rpc.target())) {
			return ConditionOutcome.match("rpc.target is a k8s:// target");
		}
		for (ClientProperties client : rpc.clients()) {
			if (isKubernetes(client.target())) {
				return ConditionOutcome.match("a client block has a k8s:// target");
			}
		}
		return ConditionOutcome.noMatch("no k8s:// target, no rpc.kubernetes.namespace");
	}

	private static boolean isKubernetes(@Nullable String target) {
		return target != null && target.strip().toLowerCase(Locale.ROOT).startsWith("k8s://");
	}

}

package io.github.rpcdiscovery.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.grpc.resolver.GrpcTarget;
import io.github.rpcdiscovery.target.DiscoveryPlan;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The application asks for this starter: an {@code rpc.*} property in any spelling the binder accepts (go-zero's
 * {@code Rpc:} block pasted as is included), an {@link EtcdConnectionDetails} bean (a {@code @ServiceConnection},
 * Docker Compose, the test kit's {@code @EmbeddedEtcd}), an application's own {@link DiscoveryPlan}, or a Spring gRPC
 * channel whose address uses one of this starter's schemes. Without any of them the starter defines no bean: adding
 * the dependency to an application (or a profile of it) that does not configure it costs that application only the
 * condition checks. Evaluated when beans are registered, so that such beans are seen; ordered before Spring Boot's
 * property and bean conditions and this starter's other conditions, so that it ends the check first.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
final class OnRpcConfiguredCondition extends SpringBootCondition implements ConfigurationCondition {

	private static final ConfigurationPropertyName RPC = ConfigurationPropertyName.of("rpc");

	private static final String OUR_PLAN = "rpcDiscoveryPlan";

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (hasRpcProperties(context.getEnvironment())) {
			return ConditionOutcome.match("rpc.* properties are set");
		}
		List<String> beans = new ArrayList<>(EtcdConnectionDetailsBeans.declared(context));
		beans.addAll(ownPlans(context.getBeanFactory()));
		if (!beans.isEmpty()) {
			return ConditionOutcome.match("beans " + beans);
		}
		List<String> channels = discoveryChannels(Binder.get(context.getEnvironment()));
		if (!channels.isEmpty()) {
			return ConditionOutcome.match("gRPC channels " + channels + " use a discovery scheme");
		}
		return ConditionOutcome.noMatch("no rpc.* property, EtcdConnectionDetails or DiscoveryPlan bean, nor a gRPC"
				+ " channel address with a scheme of " + GrpcTarget.SCHEMES);
	}

	/** Whether any {@code rpc.*} property is set, in any spelling the binder accepts; binds nothing. */
	static boolean hasRpcProperties(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.containsDescendantOf(RPC) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		return false;
	}

	private static List<String> ownPlans(ConfigurableListableBeanFactory beans) {
		if (beans == null) {
			return List.of();
		}
		return Arrays.stream(beans.getBeanNamesForType(DiscoveryPlan.class, true, false))
			.filter((name) -> !name.equals(OUR_PLAN))
			.toList();
	}

	/** Spring gRPC's {@code spring.grpc.client.channels.<name>.address} and {@code default-channel.address}. */
	private static List<String> discoveryChannels(Binder binder) {
		List<String> found = new ArrayList<>();
		binder.bind("spring.grpc.client.channels", Bindable.mapOf(String.class, String.class))
			.orElse(Map.of())
			.forEach((key, value) -> {
				if (key.endsWith(".address") && GrpcTarget.isResolvedHere(value)) {
					found.add(key.substring(0, key.length() - ".address".length()));
				}
			});
		binder.bind("spring.grpc.client.default-channel.address", String.class)
			.map(GrpcTarget::isResolvedHere)
			.ifBound((resolvedHere) -> {
				if (resolvedHere) {
					found.add("default-channel");
				}
			});
		return found;
	}

}

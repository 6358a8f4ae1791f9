package io.github.rpcdiscovery.autoconfigure;

import java.util.function.Predicate;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Whether a Spring gRPC channel's load-balancing policy was written down, for the channel or for Spring gRPC's default
 * channel: Spring gRPC's own properties cannot tell, their default is a value (round_robin).
 */
final class ExplicitChannelPolicy implements Predicate<String> {

	private static final String PREFIX = "spring.grpc.client.";

	private static final String PROPERTY = ".default-load-balancing-policy";

	private final Environment environment;

	ExplicitChannelPolicy(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean test(String channelName) {
		Binder binder = Binder.get(this.environment);
		String channel = PREFIX + "channels." + channelName;
		return (ConfigurationPropertyName.isValid(channel) && isBound(binder, channel + PROPERTY))
				|| isBound(binder, PREFIX + "default-channel" + PROPERTY);
	}

	private static boolean isBound(Binder binder, String name) {
		return binder.bind(name, Bindable.of(String.class)).isBound();
	}

}

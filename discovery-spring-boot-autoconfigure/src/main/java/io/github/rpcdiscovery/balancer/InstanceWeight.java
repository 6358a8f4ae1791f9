package io.github.rpcdiscovery.balancer;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An instance's weight from its metadata ({@code weight}, as written by {@code rpc.registration.weight} and read by
 * Spring Cloud LoadBalancer's weighted supplier): a whole number of 1 or more. An instance without one, or with one
 * that is not a positive whole number (a go-zero instance has no metadata), has the default weight 1.
 */
public final class InstanceWeight {

	/** The metadata key. */
	public static final String KEY = "weight";

	/** The weight of an instance that names none. */
	public static final int DEFAULT = 1;

	private InstanceWeight() {
	}

	public static int of(Map<String, String> metadata) {
		return parse(metadata.get(KEY));
	}

	public static int parse(@Nullable String value) {
		if (value == null) {
			return DEFAULT;
		}
		try {
			int weight = Integer.parseInt(value.strip());
			return (weight >= 1) ? weight : DEFAULT;
		}
		catch (NumberFormatException ex) {
			return DEFAULT;
		}
	}

}

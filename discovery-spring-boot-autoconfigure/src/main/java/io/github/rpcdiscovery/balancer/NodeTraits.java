package io.github.rpcdiscovery.balancer;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What routing reads from an instance's metadata: its zone, the zones Kubernetes hints it for, and its subset value.
 *
 * @param zone the instance's zone ({@value #ZONE}), or {@code null}
 * @param forZones the zones an EndpointSlice hints the instance for ({@value #FOR_ZONES}, comma-separated), empty if
 * none
 * @param subset the value of the subset key (e.g. {@code version}), or {@code null}
 */
public record NodeTraits(@Nullable String zone, Set<String> forZones, @Nullable String subset) {

	/** The zone metadata key: Spring Cloud LoadBalancer's, written by registration and Kubernetes discovery. */
	public static final String ZONE = "zone";

	/** The zones an EndpointSlice endpoint's {@code hints.forZones} names, comma-separated. */
	public static final String FOR_ZONES = "kubernetes.hints.for-zones";

	static final NodeTraits NONE = new NodeTraits(null, Set.of(), null);

	static NodeTraits of(Map<String, String> metadata, String subsetKey) {
		if (metadata.isEmpty()) {
			return NONE;
		}
		String hinted = metadata.get(FOR_ZONES);
		Set<String> forZones = (hinted != null && !hinted.isBlank())
				? Set.copyOf(List.of(hinted.strip().split("\\s*,\\s*"))) : Set.of();
		return new NodeTraits(blankToNull(metadata.get(ZONE)), forZones, blankToNull(metadata.get(subsetKey)));
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}

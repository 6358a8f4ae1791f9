package io.github.rpcdiscovery.balancer;

/**
 * How a service's calls are routed in front of the picker: zone preference with spill-over, hints and a canary.
 *
 * @param zone zone preference
 * @param subset subset routing by hint, and the canary
 */
public record RoutingSettings(ZoneSettings zone, SubsetSettings subset) {

	/** No zone preference (the caller's zone is unknown), hints by {@code version}, no canary. */
	public static RoutingSettings defaults() {
		return new RoutingSettings(ZoneSettings.defaults(null), SubsetSettings.defaults());
	}

	/** The routing settings of each service. */
	@FunctionalInterface
	public interface Source {

		RoutingSettings forService(String serviceId);

		static Source of(RoutingSettings settings) {
			return (serviceId) -> settings;
		}

	}

}

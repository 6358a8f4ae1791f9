package io.github.rpcdiscovery.balancer;

import org.jspecify.annotations.Nullable;

/**
 * Subset routing ({@link RouteTable}): a call's hint selects the instances whose metadata {@code key} has the hint's
 * value, and a canary takes a share of the calls without a hint.
 *
 * @param key the metadata key a hint is matched against, e.g. {@code version}
 * @param fallback what a hinted call gets when no listed instance matches the hint or all that match are ejected
 * @param canary the instances of one value that get a fixed share of the calls without a hint, or {@code null}
 */
public record SubsetSettings(String key, Fallback fallback, @Nullable Canary canary) {

	public SubsetSettings {
		if (key == null || key.isBlank()) {
			throw new IllegalArgumentException("key must not be blank");
		}
	}

	public static SubsetSettings defaults() {
		return new SubsetSettings("version", Fallback.ALL, null);
	}

	/** What a hint that selects no available instance gets. */
	public enum Fallback {

		/** All instances, as if there were no hint (Spring Cloud's hint supplier does the same). */
		ALL,

		/** No instance: the call fails. */
		FAIL

	}

	/**
	 * @param value the metadata value of the canary instances, e.g. {@code v2}
	 * @param percent the share of calls without a hint they get, 0 to 100
	 */
	public record Canary(String value, double percent) {

		public Canary {
			if (value == null || value.isBlank()) {
				throw new IllegalArgumentException("value must not be blank");
			}
			if (!(percent >= 0 && percent <= 100)) {
				throw new IllegalArgumentException("percent must be between 0 and 100");
			}
		}

	}

}

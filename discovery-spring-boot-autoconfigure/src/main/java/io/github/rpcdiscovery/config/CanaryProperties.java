package io.github.rpcdiscovery.config;

/**
 * A canary share of a service's calls without a hint.
 *
 * @param version The value of the subset key (rpc.balancer.subset.key, version by default) that marks the canary
 * instances, e.g. v2.
 * @param percent The share of calls without a hint that go to the canary instances, 0 to 100 (e.g. 5). The others
 * go to the instances without that value; a canary without an available instance gets none.
 */
public record CanaryProperties(String version, double percent) {

	/**
	 * @param property the block's name for messages, e.g. {@code rpc.clients[0].canary}
	 */
	public void validate(String property) {
		if (this.version == null || this.version.isBlank()) {
			throw new InvalidRpcPropertyException(property + ".version", this.version,
					"a canary needs the version that marks its instances", "set version, e.g. v2");
		}
		if (!(this.percent >= 0 && this.percent <= 100)) {
			throw new InvalidRpcPropertyException(property + ".percent", this.percent,
					"a share of calls is between 0 and 100 percent", "set e.g. 5");
		}
	}

}

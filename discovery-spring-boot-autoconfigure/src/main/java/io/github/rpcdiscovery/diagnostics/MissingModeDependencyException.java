package io.github.rpcdiscovery.diagnostics;

/**
 * A discovery mode is configured but its client library is not on the classpath (a build that excluded it from the
 * starter, say): the startup stops, and {@link MissingModeDependencyFailureAnalyzer} says which dependency to add back.
 */
public class MissingModeDependencyException extends RuntimeException {

	private final String mode;

	private final String dependency;

	private final String configuredBy;

	/**
	 * @param mode the discovery mode ({@code etcd}, {@code Kubernetes})
	 * @param dependency the Maven coordinates of the missing library ({@code groupId:artifactId})
	 * @param configuredBy what in the configuration asks for the mode
	 */
	public MissingModeDependencyException(String mode, String dependency, String configuredBy) {
		super(mode + " discovery is configured (" + configuredBy + ") but " + dependency + " is not on the classpath");
		this.mode = mode;
		this.dependency = dependency;
		this.configuredBy = configuredBy;
	}

	public String getMode() {
		return this.mode;
	}

	public String getDependency() {
		return this.dependency;
	}

	public String getConfiguredBy() {
		return this.configuredBy;
	}

}

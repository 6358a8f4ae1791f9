package io.github.rpcdiscovery.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Names the dependency a configured discovery mode needs and the build left out. */
class MissingModeDependencyFailureAnalyzer extends AbstractFailureAnalyzer<MissingModeDependencyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingModeDependencyException cause) {
		String description = String.format("%s discovery is configured (%s), but %s is not on the classpath.%n",
				cause.getMode(), cause.getConfiguredBy(), cause.getDependency());
		String action = String.format("Remove the <exclusion> of %s from the discovery-spring-boot-starter dependency, "
				+ "or remove the %s configuration.", cause.getDependency(), cause.getMode());
		return new FailureAnalysis(description, action, cause);
	}

}

package io.github.rpcdiscovery.diagnostics;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad {@code rpc.*} value into a startup report naming the property, the value, the problem and the fix. */
class InvalidRpcPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRpcPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidRpcPropertyException cause) {
		String description = String.format("Invalid rpc configuration:%n%n    Property: %s%n    Value: '%s'%n"
				+ "    Problem: %s%n", cause.getProperty(), cause.getValue(), cause.getProblem());
		return new FailureAnalysis(description, "Fix " + cause.getProperty() + ": " + cause.getFix() + ".", cause);
	}

}

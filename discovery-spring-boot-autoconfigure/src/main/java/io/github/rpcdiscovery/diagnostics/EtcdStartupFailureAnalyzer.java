package io.github.rpcdiscovery.diagnostics;

import io.github.rpcdiscovery.etcd.EtcdStartupException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an etcd cluster that could not be used at startup (with {@code rpc.etcd.fail-fast=true}) into a report naming
 * the cause (unreachable, credentials refused, permission denied, TLS refused) and the settings that fix it.
 */
class EtcdStartupFailureAnalyzer extends AbstractFailureAnalyzer<EtcdStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EtcdStartupException cause) {
		String description = String.format("etcd could not be used at startup (%s):%n%n    %s%n%n"
				+ "rpc.etcd.fail-fast is true, so the application does not start without it.",
				cause.getFailure().kind(), cause.getMessage());
		return new FailureAnalysis(description, "Fix: " + cause.getFix() + ". Or set rpc.etcd.fail-fast=false to start"
				+ " anyway: discovery and registration then retry in the background, and the outage is logged once.",
				cause);
	}

}

package io.github.rpcdiscovery.diagnostics;

import io.github.rpcdiscovery.etcd.registration.EtcdRegistrationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a registration that failed at startup (with {@code rpc.etcd.fail-fast=true} or
 * {@code rpc.registration.fail-fast=true}) into a report naming
 * the cause (etcd unreachable, credentials refused, permission denied, TLS refused) and the settings that fix it.
 */
class EtcdRegistrationFailureAnalyzer extends AbstractFailureAnalyzer<EtcdRegistrationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EtcdRegistrationException cause) {
		String description = String.format("This application could not register itself in etcd:%n%n    %s%n%n"
				+ "rpc.etcd.fail-fast or rpc.registration.fail-fast is true, so the application does not start without"
				+ " its registration.", cause.getMessage());
		return new FailureAnalysis(description, "Fix: " + cause.getFix() + ". Or set rpc.etcd.fail-fast=false and"
				+ " rpc.registration.fail-fast=false to start anyway and keep retrying the registration in the"
				+ " background.", cause);
	}

}

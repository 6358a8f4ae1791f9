package io.github.rpcdiscovery.etcd.registration;

import io.github.rpcdiscovery.etcd.EtcdFailure;

/**
 * Registering in etcd failed at startup with {@code rpc.registration.fail-fast=true}: etcd unreachable, credentials
 * or certificates refused, permission denied. Carries the sort of failure and the fix for the failure analyzer. The
 * message never contains a password.
 */
public class EtcdRegistrationException extends RuntimeException {

	private final EtcdFailure failure;

	private final String fix;

	public EtcdRegistrationException(String message, EtcdFailure failure, String fix) {
		super(message);
		this.failure = failure;
		this.fix = fix;
	}

	public EtcdFailure getFailure() {
		return this.failure;
	}

	public String getFix() {
		return this.fix;
	}

}

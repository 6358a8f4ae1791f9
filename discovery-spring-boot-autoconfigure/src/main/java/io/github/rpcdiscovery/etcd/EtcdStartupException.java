package io.github.rpcdiscovery.etcd;

import java.util.List;

/**
 * etcd could not be used at startup with {@code rpc.etcd.fail-fast=true}: unreachable, credentials or certificates
 * refused, permission denied. Carries the sort of failure and the fix for the failure analyzer. The message never
 * contains a password.
 */
public class EtcdStartupException extends RuntimeException {

	private final EtcdFailure failure;

	private final String fix;

	private final List<String> serviceIds;

	public EtcdStartupException(String message, EtcdFailure failure, String fix, List<String> serviceIds) {
		super(message);
		this.failure = failure;
		this.fix = fix;
		this.serviceIds = List.copyOf(serviceIds);
	}

	public EtcdFailure getFailure() {
		return this.failure;
	}

	public String getFix() {
		return this.fix;
	}

	/** The configured services that could not be loaded from it; empty if only the connection was checked. */
	public List<String> getServiceIds() {
		return this.serviceIds;
	}

}

package io.github.rpcdiscovery.loadbalancer;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

/**
 * Lets an {@link RpcLoadBalancerClientFactory} remember what the child context of a service this starter resolves
 * answers, for as long as that context lives. A bean of that context: it exists only where
 * {@link RpcLoadBalancerClientConfiguration} applies, that is for ids this starter resolves.
 */
public final class ChildContextLookups implements DisposableBean {

	private final String serviceId;

	private final @Nullable RpcLoadBalancerClientFactory factory;

	ChildContextLookups(String serviceId, LoadBalancerClientFactory factory) {
		this.serviceId = serviceId;
		// the application's own factory: Spring Cloud's lookups, nothing to remember
		this.factory = (factory instanceof RpcLoadBalancerClientFactory rpc) ? rpc : null;
		if (this.factory != null) {
			this.factory.rememberLookups(serviceId, this);
		}
	}

	@Override
	public void destroy() {
		if (this.factory != null) {
			this.factory.forgetLookups(this.serviceId, this);
		}
	}

}

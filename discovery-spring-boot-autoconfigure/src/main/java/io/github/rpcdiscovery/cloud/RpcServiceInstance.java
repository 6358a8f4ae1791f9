package io.github.rpcdiscovery.cloud;

import java.net.URI;
import java.util.Map;

import io.github.rpcdiscovery.core.DiscoveredInstance;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Spring Cloud's view of a {@link DiscoveredInstance}: made once per instance and kept with it
 * ({@link SpringCloudInstances#instance}), so handing instances to Spring Cloud allocates nothing per call.
 * Equal when the instances are.
 */
public final class RpcServiceInstance implements ServiceInstance {

	private final DiscoveredInstance instance;

	RpcServiceInstance(DiscoveredInstance instance) {
		this.instance = instance;
	}

	/** The catalog's instance this is the view of. */
	public DiscoveredInstance instance() {
		return this.instance;
	}

	@Override
	public String getServiceId() {
		return this.instance.getServiceId();
	}

	@Override
	public String getInstanceId() {
		return this.instance.getInstanceId();
	}

	@Override
	public String getHost() {
		return this.instance.getHost();
	}

	@Override
	public int getPort() {
		return this.instance.getPort();
	}

	@Override
	public boolean isSecure() {
		return this.instance.isSecure();
	}

	@Override
	public URI getUri() {
		return this.instance.getUri();
	}

	@Override
	public Map<String, String> getMetadata() {
		return this.instance.getMetadata();
	}

	@Override
	public String getScheme() {
		return this.instance.getScheme();
	}

	@Override
	public boolean equals(Object other) {
		return this == other
				|| (other instanceof RpcServiceInstance that && this.instance.equals(that.instance));
	}

	@Override
	public int hashCode() {
		return this.instance.hashCode();
	}

	@Override
	public String toString() {
		return this.instance.toString();
	}

}

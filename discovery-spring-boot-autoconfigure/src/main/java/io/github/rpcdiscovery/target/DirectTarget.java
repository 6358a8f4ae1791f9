package io.github.rpcdiscovery.target;

import java.util.List;

/**
 * A static list of endpoints: go-zero's {@code Endpoints} or {@code direct:///a:1,b:2}.
 *
 * @param endpoints the endpoints, at least one
 */
public record DirectTarget(List<HostAndPort> endpoints) implements RpcTarget {

	public DirectTarget {
		endpoints = List.copyOf(endpoints);
	}

	@Override
	public String source() {
		return "direct";
	}

}

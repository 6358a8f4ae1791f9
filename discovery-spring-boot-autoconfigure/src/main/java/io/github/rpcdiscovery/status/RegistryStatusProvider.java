package io.github.rpcdiscovery.status;

/** A discovery source that talks to a registry, and tracks its connections. */
public interface RegistryStatusProvider {

	/** The source's name: {@code etcd} or {@code kubernetes}. */
	String name();

	RegistryConnections registryConnections();

}

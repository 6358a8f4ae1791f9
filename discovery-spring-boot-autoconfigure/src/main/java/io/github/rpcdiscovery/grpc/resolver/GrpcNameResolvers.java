package io.github.rpcdiscovery.grpc.resolver;

import java.util.ArrayList;
import java.util.List;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.grpc.NameResolverRegistry;

/**
 * Registers a {@link CatalogNameResolverProvider} per scheme of {@link GrpcTarget#SCHEMES} in a registry (grpc-java's
 * default one, which every channel built from a target string consults) for as long as the application runs, and
 * takes them out again on {@link #close()}, so a closed application context leaves no resolver bound to its catalog.
 */
public final class GrpcNameResolvers implements AutoCloseable {

	private final NameResolverRegistry registry;

	private final List<CatalogNameResolverProvider> providers = new ArrayList<>();

	public GrpcNameResolvers(NameResolverRegistry registry, ServiceDiscovery discovery) {
		this.registry = registry;
		for (String scheme : GrpcTarget.SCHEMES) {
			CatalogNameResolverProvider provider = new CatalogNameResolverProvider(scheme, discovery);
			registry.register(provider);
			this.providers.add(provider);
		}
	}

	/** Registers the resolvers in grpc-java's default registry. */
	public static GrpcNameResolvers registerDefault(ServiceDiscovery discovery) {
		return new GrpcNameResolvers(NameResolverRegistry.getDefaultRegistry(), discovery);
	}

	@Override
	public void close() {
		for (CatalogNameResolverProvider provider : this.providers) {
			this.registry.deregister(provider);
		}
		this.providers.clear();
	}

}

package io.github.rpcdiscovery.grpc.resolver;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import org.jspecify.annotations.Nullable;

/**
 * The name resolver of one of the {@link GrpcTarget#SCHEMES}: it needs the application's {@link ServiceDiscovery}, so
 * it is registered in grpc-java's default registry by {@link GrpcNameResolvers}, not service-loaded.
 */
public final class CatalogNameResolverProvider extends NameResolverProvider {

	/** Above grpc-java's own providers (5), so another library's provider of the same scheme does not shadow it. */
	static final int PRIORITY = 6;

	private final String scheme;

	private final ServiceDiscovery discovery;

	public CatalogNameResolverProvider(String scheme, ServiceDiscovery discovery) {
		this.scheme = scheme;
		this.discovery = discovery;
	}

	@Override
	public @Nullable NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!this.scheme.equalsIgnoreCase(targetUri.getScheme())) {
			return null;
		}
		GrpcTarget target = GrpcTarget.parse(targetUri.toString(), this.discovery.plan());
		if (!this.discovery.hasSource(target.source())) {
			throw new IllegalArgumentException("'" + target.text() + "' is resolved by the " + target.source()
					+ " source, which is not available: " + missingSourceFix(target.source()));
		}
		return new CatalogNameResolver(target, this.discovery, args);
	}

	private static String missingSourceFix(String source) {
		if (source.equals("kubernetes")) {
			return "add io.fabric8:kubernetes-client (discovery-spring-boot-starter brings it) and set"
					+ " rpc.kubernetes.namespace or run in a pod";
		}
		return "add discovery-spring-boot-starter, which brings its client library";
	}

	@Override
	public String getDefaultScheme() {
		return this.scheme;
	}

	@Override
	protected boolean isAvailable() {
		return true;
	}

	@Override
	protected int priority() {
		return PRIORITY;
	}

	@Override
	public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
		return List.of(InetSocketAddress.class);
	}

	@Override
	public String toString() {
		return "CatalogNameResolverProvider[" + this.scheme + "]";
	}

}

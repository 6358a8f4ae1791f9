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
 * <p>
 * The default registry is global; with several application contexts in one JVM the first one's provider serves the
 * scheme. A channel that carries its own {@link #DISCOVERY} argument (Spring gRPC channels get it from their context)
 * resolves through that one instead.
 */
public final class CatalogNameResolverProvider extends NameResolverProvider {

	/** The {@link ServiceDiscovery} a channel resolves through, if not the registering application's. */
	public static final NameResolver.Args.Key<ServiceDiscovery> DISCOVERY = NameResolver.Args.Key
		.create("io.github.rpcdiscovery.service-discovery");

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
		ServiceDiscovery channelDiscovery = args.getArg(DISCOVERY);
		ServiceDiscovery discovery = (channelDiscovery != null) ? channelDiscovery : this.discovery;
		GrpcTarget target = GrpcTarget.parse(targetUri.toString(), discovery.plan());
		if (!discovery.hasSource(target.source())) {
			throw new IllegalArgumentException("'" + target.text() + "' is resolved by the " + target.source()
					+ " source, which is not available: " + missingSourceFix(target.source()));
		}
		return new CatalogNameResolver(target, discovery, args);
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

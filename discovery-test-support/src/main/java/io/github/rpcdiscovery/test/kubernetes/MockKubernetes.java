package io.github.rpcdiscovery.test.kubernetes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.github.rpcdiscovery.test.net.TcpProxy;

/**
 * A Kubernetes API server for tests: fabric8's mock server in CRUD mode (real REST and watch semantics) on
 * 127.0.0.1, with
 * <ul>
 * <li>an {@linkplain #admin() admin client} that drives it as a cluster would (creates, updates and deletes
 * EndpointSlices) and is never denied;</li>
 * <li>a {@linkplain #proxy() TCP proxy} in front for the application under test ({@link #url()}), so a test can cut
 * the watch connections or make the API server unreachable and bring it back with the same data;</li>
 * <li>RBAC-like {@linkplain #deny denials}: requests carrying a given bearer token get the API server's 403;</li>
 * <li>a one-shot {@linkplain #goneOnNextWatch() 410 Gone} for the next watch request, which makes informers
 * relist.</li>
 * </ul>
 */
public final class MockKubernetes implements AutoCloseable {

	/** Kept, so that the level set on it is not lost with a collected logger: one JUL line per request is noise. */
	private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver.MockWebServer");

	private final KubernetesMockServer server;

	private final FaultInjectingDispatcher dispatcher;

	private final TcpProxy proxy;

	private final KubernetesClient admin;

	private MockKubernetes(KubernetesMockServer server, FaultInjectingDispatcher dispatcher, TcpProxy proxy) {
		this.server = server;
		this.dispatcher = dispatcher;
		this.proxy = proxy;
		this.admin = new KubernetesClientBuilder().withConfig(config("http://127.0.0.1:" + server.getPort())).build();
	}

	public static MockKubernetes start() {
		Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
		FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher(new KubernetesMixedDispatcher(responses));
		KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
				new MockWebServer(), responses, dispatcher, false);
		try {
			server.start(InetAddress.getByName("127.0.0.1"), 0);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
		return new MockKubernetes(server, dispatcher, TcpProxy.start("127.0.0.1", server.getPort()));
	}

	/** The API server URL for the application under test: through the proxy, {@code http://127.0.0.1:<port>}. */
	public String url() {
		return "http://" + this.proxy.address();
	}

	/** A client configuration for the application under test, through the proxy, with a bearer token. */
	public Config clientConfig(String token) {
		Config config = config(url());
		config.setOauthToken(token);
		return config;
	}

	/** A client configuration straight to the server, without the proxy: for benchmarks, where a hop is noise. */
	public Config directClientConfig(String token) {
		Config config = config("http://127.0.0.1:" + this.server.getPort());
		config.setOauthToken(token);
		return config;
	}

	/** A client that is never denied and bypasses the proxy: the cluster's own controllers, or kubectl. */
	public KubernetesClient admin() {
		return this.admin;
	}

	public TcpProxy proxy() {
		return this.proxy;
	}

	/** Creates or replaces a resource, as the EndpointSlice controller does. */
	public <T extends HasMetadata> T apply(T resource) {
		return this.admin.resource(resource).createOr(NonDeletingOperation::update);
	}

	public void deleteSlice(String namespace, String name) {
		this.admin.resources(EndpointSlice.class).inNamespace(namespace).withName(name).delete();
	}

	/**
	 * From now on, endpoint slice requests with this bearer token whose path matches are answered 403, with the API
	 * server's message naming {@code user} (e.g. {@code system:serviceaccount:default:sample-client}).
	 */
	public void deny(String token, String user, Predicate<String> path) {
		this.dispatcher.deny(new FaultInjectingDispatcher.Denial(token, user, path));
	}

	public void allowAll() {
		this.dispatcher.allowAll();
	}

	/** The next watch request is answered 410 Gone, as for a resource version the API server no longer has. */
	public void goneOnNextWatch() {
		this.dispatcher.goneOnNextWatch();
	}

	/** Every request the server answered so far. */
	public int requestCount() {
		return this.server.getRequestCount();
	}

	/** Every request the server received so far (from any client, the admin's included), in order. */
	public java.util.List<ApiRequest> received() {
		return this.dispatcher.received();
	}

	/** Requests for endpoint slices (list, watch, get, writes, from any client) answered so far. */
	public int endpointSliceRequests() {
		return requests((path) -> path.contains("/endpointslices"));
	}

	/** Requests whose path (with the query) matches, from any client, answered so far. */
	public int requests(Predicate<String> path) {
		return this.dispatcher.requests(path);
	}

	@Override
	public void close() {
		this.admin.close();
		this.proxy.close();
		this.server.destroy();
	}

	private static java.util.logging.Logger quiet(String name) {
		java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
		logger.setLevel(java.util.logging.Level.WARNING);
		return logger;
	}

	private static Config config(String url) {
		// never read ~/.kube/config or the environment: this client talks to the mock only
		return new ConfigBuilder(Config.empty()).withMasterUrl(url)
			.withTrustCerts(true)
			.withRequestRetryBackoffLimit(0)
			.build();
	}

}

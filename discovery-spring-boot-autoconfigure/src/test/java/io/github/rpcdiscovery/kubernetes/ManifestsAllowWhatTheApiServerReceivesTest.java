package io.github.rpcdiscovery.kubernetes;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.github.rpcdiscovery.autoconfigure.KubernetesAutoConfigurationsAccess;
import io.github.rpcdiscovery.kubernetes.KubernetesRbac.Rule;
import io.github.rpcdiscovery.test.kubernetes.ApiRequest;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.core.io.FileSystemResource;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RBAC manifests in {@code k8s/} checked against what the application actually sends: the sample client runs
 * (its own {@code application-k8s.yml}, the whole auto-configuration) against the fabric8 mock API server, every
 * request the server received with the application's token is turned into what the API server authorizes (verb,
 * API group, resource, namespace), and the Roles and ClusterRoles the manifests bind to its ServiceAccount must allow
 * each. A verb the manifests grant that no request used fails too: least privilege.
 */
class ManifestsAllowWhatTheApiServerReceivesTest {

	static final Path K8S = Path.of("..", "k8s");

	static final String TOKEN = "app-token";

	/** The ServiceAccount the sample client's pods run as (k8s/sample-client.yaml). */
	static final String ACCOUNT_NAMESPACE = "default";

	static final String ACCOUNT = "sample-client";

	/** What each scenario sent, run once for all the tests. */
	static final Map<String, List<Access>> sent = new ConcurrentHashMap<>();

	static MockKubernetes cluster;

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void theSampleClientIsAllowedEveryRequestItSends() throws IOException {
		List<Access> accesses = sampleClient();
		Rbac rbac = Rbac.of("sample-client.yaml", "rbac-service-labels.yaml");
		assertThat(accesses).as("requests with the application's token").isNotEmpty();
		assertThat(accesses).allSatisfy((access) -> assertThat(rbac.allows(access)).as("%s is allowed by %s", access,
				rbac.files).isTrue());
	}

	@Test
	void aClientOfAnotherNamespaceIsAllowedEveryRequestItSends() throws IOException {
		List<Access> accesses = crossNamespaceClient();
		Rbac rbac = Rbac.of("sample-client.yaml", "rbac-cross-namespace.yaml");
		assertThat(accesses).anyMatch((access) -> "shop".equals(access.namespace()));
		assertThat(accesses).allSatisfy((access) -> assertThat(rbac.allows(access)).as("%s is allowed by %s", access,
				rbac.files).isTrue());
	}

	@Test
	void everyVerbTheManifestsGrantIsUsed() throws IOException {
		List<Access> accesses = new ArrayList<>(sampleClient());
		accesses.addAll(crossNamespaceClient());
		Rbac rbac = Rbac.of("sample-client.yaml", "rbac-service-labels.yaml", "rbac-cross-namespace.yaml");
		Set<String> unused = new TreeSet<>(rbac.grantedVerbs());
		accesses.forEach((access) -> unused.removeAll(rbac.grantsUsedBy(access)));
		assertThat(unused).as("granted, never requested").isEmpty();
	}

	@Test
	void theRulesThe403MessagesPrintAreTheRulesTheRequestsNeed() throws IOException {
		List<Access> accesses = new ArrayList<>(sampleClient());
		accesses.addAll(crossNamespaceClient());
		Map<String, Set<String>> needed = new LinkedHashMap<>();
		accesses.stream()
			.filter((access) -> access.resource() != null)
			.forEach((access) -> needed.computeIfAbsent(access.group() + "/" + access.resource(),
					(key) -> new TreeSet<>()).add(access.verb()));
		Map<String, Set<String>> printed = new LinkedHashMap<>();
		for (Rule rule : KubernetesRbac.requiredRules(true)) {
			printed.put(rule.apiGroup() + "/" + rule.resource(), new TreeSet<>(rule.verbs()));
		}
		assertThat(needed).isEqualTo(printed);
	}

	/** The sample client as deployed: namespace default, its own profile, with the Services' labels. */
	static List<Access> sampleClient() {
		return sent.computeIfAbsent("sample-client", (key) -> run((runner) -> runner
			.withPropertyValues("rpc.kubernetes.include-service-labels=true"), (context) -> {
				DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
				assertThat(discovery.getInstances("sample-server")).hasSize(1);
				// any other id: probed (one list), then watched
				assertThat(discovery.getInstances("inventory")).hasSize(1);
				context.getBeansOfType(HealthIndicator.class).values().forEach(HealthIndicator::health);
				relistAndReconnect(discovery);
			}));
	}

	/** The sample client with one id in another namespace (k8s/rbac-cross-namespace.yaml). */
	static List<Access> crossNamespaceClient() {
		return sent.computeIfAbsent("cross-namespace", (key) -> run((runner) -> runner.withPropertyValues(
				"rpc.clients[0].name=cart", "rpc.clients[0].target=k8s://shop/cart:8080"), (context) -> {
					DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
					assertThat(discovery.getInstances("cart")).hasSize(1);
					assertThat(discovery.getInstances("sample-server")).hasSize(1);
				}));
	}

	/** The informers list again after a 410 Gone and after a cut connection, as they do in a cluster. */
	static void relistAndReconnect(DiscoveryClient discovery) {
		cluster.goneOnNextWatch();
		cluster.apply(slice("default", "sample-server", "sample-server-a").port("grpc", 8080)
			.ready("127.0.0.1", "server-1")
			.ready("127.0.0.2", "server-2")
			.build());
		await().atMost(Duration.ofSeconds(15)).until(() -> discovery.getInstances("sample-server").size() == 2);
		cluster.proxy().cut();
		cluster.apply(slice("default", "sample-server", "sample-server-a").port("grpc", 8080)
			.ready("127.0.0.1", "server-1")
			.build());
		await().atMost(Duration.ofSeconds(15)).until(() -> discovery.getInstances("sample-server").size() == 1);
	}

	static List<Access> run(java.util.function.UnaryOperator<ApplicationContextRunner> settings,
			Consumer<org.springframework.boot.test.context.assertj.AssertableApplicationContext> calls) {
		if (cluster == null) {
			cluster = MockKubernetes.start();
			cluster.apply(slice("default", "sample-server", "sample-server-a").port("grpc", 8080)
				.ready("127.0.0.1", "server-1")
				.build());
			cluster.apply(new ServiceBuilder().withNewMetadata()
				.withNamespace("default")
				.withName("sample-server")
				.addToLabels("team", "orders")
				.endMetadata()
				.build());
			cluster.apply(slice("default", "inventory", "inventory-a").port("grpc", 8080)
				.ready("127.0.0.3", "inventory-1")
				.build());
			cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.4", "cart-1").build());
		}
		int before = cluster.received().size();
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KubernetesAutoConfigurationsAccess.ALL))
			.withInitializer((context) -> {
				try {
					new YamlPropertySourceLoader()
						.load("k8s", new FileSystemResource(Path.of("..", "sample-client", "src", "main", "resources",
								"application-k8s.yml")))
						.forEach(context.getEnvironment().getPropertySources()::addLast);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			})
			// in a pod: the in-cluster configuration; here the mock, with the ServiceAccount's token
			.withPropertyValues("rpc.kubernetes.master-url=" + cluster.url(), "rpc.kubernetes.token=" + TOKEN);
		settings.apply(runner).run((context) -> {
			assertThat(context).hasNotFailed();
			calls.accept(context);
		});
		List<ApiRequest> received = cluster.received();
		return received.subList(before, received.size())
			.stream()
			.filter((request) -> request.hasToken(TOKEN))
			.map(Access::of)
			.toList();
	}

	/**
	 * A request as the API server authorizes it: a verb on a resource (API group, namespace, name), or a
	 * non-resource path.
	 */
	record Access(String verb, String group, String resource, String namespace, String name, String nonResourcePath,
			String request) {

		/** Non-resource paths Kubernetes' default roles (system:discovery, system:public-info-viewer) grant all. */
		static final List<String> DEFAULT_NON_RESOURCE = List.of("/api", "/api/*", "/apis", "/apis/*", "/version",
				"/healthz", "/livez", "/readyz", "/openapi/*");

		static Access of(ApiRequest request) {
			String[] pathAndQuery = request.path().split("\\?", 2);
			String path = pathAndQuery[0];
			Set<String> query = new LinkedHashSet<>(
					Arrays.asList((pathAndQuery.length > 1) ? pathAndQuery[1].split("&") : new String[0]));
			boolean watch = query.contains("watch=true") || query.contains("watch=1");
			String text = request.method() + " " + request.path();
			List<String> segments = List.of(path.replaceAll("^/+", "").split("/"));
			String group;
			List<String> rest;
			if (segments.size() > 2 && segments.get(0).equals("api")) {
				group = "";
				rest = segments.subList(2, segments.size());
			}
			else if (segments.size() > 3 && segments.get(0).equals("apis")) {
				group = segments.get(1);
				rest = segments.subList(3, segments.size());
			}
			else {
				return new Access(request.method().toLowerCase(), null, null, null, null, path, text);
			}
			String namespace = null;
			if (rest.size() > 2 && rest.get(0).equals("namespaces")) {
				namespace = rest.get(1);
				rest = rest.subList(2, rest.size());
			}
			String resource = rest.get(0) + ((rest.size() > 2) ? "/" + rest.get(2) : "");
			String name = (rest.size() > 1) ? rest.get(1) : null;
			String verb = switch (request.method()) {
				case "GET" -> watch ? "watch" : ((name != null) ? "get" : "list");
				case "POST" -> "create";
				case "PUT" -> "update";
				case "PATCH" -> "patch";
				case "DELETE" -> (name != null) ? "delete" : "deletecollection";
				default -> request.method().toLowerCase();
			};
			return new Access(verb, group, resource, namespace, name, null, text);
		}

		@Override
		public String toString() {
			if (this.nonResourcePath != null) {
				return this.request + " (non-resource " + this.nonResourcePath + ")";
			}
			return this.request + " (" + this.verb + " " + this.resource + " in API group \"" + this.group
					+ "\" in namespace " + this.namespace + ")";
		}

	}

	/** The RBAC objects of some manifests, as the API server's authorizer reads them for the sample ServiceAccount. */
	static final class Rbac {

		final List<String> files;

		/** Each rule bound to the account, with the namespace it is bound in ({@code null}: every namespace). */
		final List<BoundRule> rules = new ArrayList<>();

		private Rbac(List<String> files) {
			this.files = files;
		}

		@SuppressWarnings("unchecked")
		static Rbac of(String... files) throws IOException {
			Rbac rbac = new Rbac(List.of(files));
			List<Map<String, Object>> documents = new ArrayList<>();
			for (String file : files) {
				try (Reader reader = Files.newBufferedReader(K8S.resolve(file))) {
					for (Object document : new Yaml().loadAll(reader)) {
						if (document != null) {
							documents.add((Map<String, Object>) document);
						}
					}
				}
			}
			for (Map<String, Object> binding : documents) {
				String kind = (String) binding.get("kind");
				if (!"RoleBinding".equals(kind) && !"ClusterRoleBinding".equals(kind)) {
					continue;
				}
				boolean toAccount = ((List<Map<String, Object>>) binding.get("subjects")).stream()
					.anyMatch((subject) -> "ServiceAccount".equals(subject.get("kind"))
							&& ACCOUNT.equals(subject.get("name"))
							&& ACCOUNT_NAMESPACE.equals(subject.get("namespace")));
				if (!toAccount) {
					continue;
				}
				Map<String, Object> metadata = (Map<String, Object>) binding.get("metadata");
				String scope = "RoleBinding".equals(kind) ? (String) metadata.get("namespace") : null;
				Map<String, Object> roleRef = (Map<String, Object>) binding.get("roleRef");
				for (Map<String, Object> role : documents) {
					Map<String, Object> roleMetadata = (Map<String, Object>) role.get("metadata");
					boolean referenced = roleRef.get("kind").equals(role.get("kind"))
							&& roleRef.get("name").equals(roleMetadata.get("name"))
							&& ("ClusterRole".equals(role.get("kind"))
									|| Objects.equals(roleMetadata.get("namespace"), scope));
					if (!referenced) {
						continue;
					}
					List<Map<String, Object>> rules = (List<Map<String, Object>>) role.get("rules");
					for (int i = 0; i < rules.size(); i++) {
						rbac.rules.add(new BoundRule(role.get("kind") + " " + roleMetadata.get("name") + " rule " + i,
								scope, rules.get(i)));
					}
				}
			}
			return rbac;
		}

		boolean allows(Access access) {
			if (access.nonResourcePath() != null) {
				return Access.DEFAULT_NON_RESOURCE.stream()
					.anyMatch((pattern) -> pattern.endsWith("/*")
							? access.nonResourcePath().startsWith(pattern.substring(0, pattern.length() - 1))
							: access.nonResourcePath().equals(pattern));
			}
			return !grantsUsedBy(access).isEmpty();
		}

		/** {@code <rule> <verb>} of every rule that allows it. */
		Set<String> grantsUsedBy(Access access) {
			Set<String> used = new LinkedHashSet<>();
			for (BoundRule rule : this.rules) {
				if (rule.allows(access)) {
					used.add(rule.source() + " " + access.verb());
				}
			}
			return used;
		}

		Set<String> grantedVerbs() {
			Set<String> granted = new LinkedHashSet<>();
			for (BoundRule rule : this.rules) {
				rule.list("verbs").forEach((verb) -> granted.add(rule.source() + " " + verb));
			}
			return granted;
		}

	}

	record BoundRule(String source, String namespace, Map<String, Object> rule) {

		boolean allows(Access access) {
			if (this.namespace != null && !this.namespace.equals(access.namespace())) {
				return false;
			}
			return matches(list("apiGroups"), access.group()) && matches(list("resources"), access.resource())
					&& matches(list("verbs"), access.verb())
					&& (list("resourceNames").isEmpty() || list("resourceNames").contains(access.name()));
		}

		@SuppressWarnings("unchecked")
		List<String> list(String key) {
			Object value = this.rule.get(key);
			return (value != null) ? (List<String>) value : List.of();
		}

		private static boolean matches(List<String> allowed, String value) {
			return allowed.contains("*") || allowed.contains(value);
		}

	}

}

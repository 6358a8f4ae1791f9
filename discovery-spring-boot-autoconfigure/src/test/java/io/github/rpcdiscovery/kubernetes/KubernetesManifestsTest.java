package io.github.rpcdiscovery.kubernetes;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.config.DiscoveryPlanResolver;
import io.github.rpcdiscovery.kubernetes.KubernetesRbac.Rule;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.KubernetesTarget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests in {@code k8s/} parse, fit together (service accounts, bindings, selectors, ports) and grant exactly
 * what the code asks for ({@link KubernetesRbac}): no less, or discovery is denied; no more, least privilege.
 */
class KubernetesManifestsTest {

	static final Path K8S = Path.of("..", "k8s");

	static List<Map<String, Object>> all = new ArrayList<>();

	@BeforeAll
	static void load() throws IOException {
		try (Stream<Path> files = Files.list(K8S)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".yaml")).sorted().toList()) {
				all.addAll(documents(file));
			}
		}
		assertThat(all).as("manifests in %s", K8S.toAbsolutePath()).isNotEmpty();
	}

	@Test
	void everyRoleGrantsExactlyARuleTheCodeNeeds() {
		List<Map<String, Object>> roles = kinds(all, "Role", "ClusterRole");
		assertThat(roles).isNotEmpty();
		for (Map<String, Object> role : roles) {
			assertThat(rules(role)).as("rules of %s", name(role))
				.hasSize(1)
				.first()
				.isIn(KubernetesRbac.ENDPOINT_SLICES, KubernetesRbac.SERVICES);
		}
	}

	@Test
	void togetherTheyGrantExactlyWhatTheCodeCallsWithEverySetting() {
		Set<Rule> granted = new HashSet<>();
		kinds(all, "Role", "ClusterRole").forEach((role) -> granted.addAll(rules(role)));
		assertThat(granted).containsExactlyInAnyOrderElementsOf(KubernetesRbac.requiredRules(true));
		assertThat(granted).noneMatch((rule) -> rule.resource().equals("endpoints"));
		assertThat(granted).noneMatch((rule) -> rule.verbs().contains("get") || rule.verbs().contains("*"));
	}

	@Test
	void theSampleClientsRoleIsBoundToTheServiceAccountItsPodsRunAs() throws IOException {
		List<Map<String, Object>> client = documents(K8S.resolve("sample-client.yaml"));
		Map<String, Object> deployment = kinds(client, "Deployment").get(0);
		String account = (String) map(map(map(deployment, "spec"), "template"), "spec").get("serviceAccountName");
		assertThat(account).isEqualTo("sample-client");
		assertThat(kinds(client, "ServiceAccount")).extracting(KubernetesManifestsTest::name).containsExactly(account);
		Map<String, Object> role = kinds(client, "Role").get(0);
		assertThat(rules(role)).containsExactly(KubernetesRbac.ENDPOINT_SLICES);
		Map<String, Object> binding = kinds(client, "RoleBinding").get(0);
		assertThat(map(binding, "roleRef")).containsEntry("kind", "Role").containsEntry("name", name(role));
		assertThat(list(binding, "subjects")).containsExactly(
				Map.of("kind", "ServiceAccount", "name", account, "namespace", "default"));
	}

	@Test
	void theCrossNamespaceVariantBindsTheClusterRoleInTheTargetNamespaceOnly() throws IOException {
		List<Map<String, Object>> cross = documents(K8S.resolve("rbac-cross-namespace.yaml"));
		assertThat(kinds(cross, "ClusterRoleBinding")).as("not every namespace").isEmpty();
		Map<String, Object> clusterRole = kinds(cross, "ClusterRole").get(0);
		assertThat(rules(clusterRole)).containsExactly(KubernetesRbac.ENDPOINT_SLICES);
		Map<String, Object> binding = kinds(cross, "RoleBinding").get(0);
		assertThat(map(binding, "metadata")).containsEntry("namespace", "shop");
		assertThat(map(binding, "roleRef")).containsEntry("kind", "ClusterRole").containsEntry("name", name(clusterRole));
		assertThat(list(binding, "subjects")).containsExactly(
				Map.of("kind", "ServiceAccount", "name", "sample-client", "namespace", "default"));
	}

	@Test
	void theClientsTargetNamesTheServersServiceAndItsPodPort() throws IOException {
		DiscoveryPlan plan = clientK8sProfile();
		KubernetesTarget target = (KubernetesTarget) plan.upstreamFor("sample-server").get().target();
		List<Map<String, Object>> server = documents(K8S.resolve("sample-server.yaml"));
		Map<String, Object> service = kinds(server, "Service").get(0);
		assertThat(name(service)).isEqualTo(target.service());
		assertThat(map(service, "metadata")).containsEntry("namespace", target.namespace());

		Map<String, Object> podSpec = map(map(map(kinds(server, "Deployment").get(0), "spec"), "template"), "spec");
		Map<String, Object> podLabels = map(map(map(map(kinds(server, "Deployment").get(0), "spec"), "template"),
				"metadata"), "labels");
		assertThat(podLabels).containsAllEntriesOf(map(map(service, "spec"), "selector"));
		Map<String, Object> container = (Map<String, Object>) list(podSpec, "containers").get(0);
		Map<String, Object> containerPort = (Map<String, Object>) list(container, "ports").get(0);
		Map<String, Object> servicePort = (Map<String, Object>) list(map(service, "spec"), "ports").get(0);
		// k8s:// names the pod port: the one the Service's targetPort leads to
		assertThat(servicePort.get("targetPort")).isEqualTo(containerPort.get("name"));
		assertThat(containerPort.get("containerPort")).isEqualTo(target.port());
		// the server never calls the API server
		assertThat(kinds(server, "ServiceAccount").get(0)).containsEntry("automountServiceAccountToken", false);
		assertThat(kinds(server, "Role", "ClusterRole", "RoleBinding")).isEmpty();
	}

	private static DiscoveryPlan clientK8sProfile() throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		new YamlPropertySourceLoader()
			.load("k8s", new FileSystemResource(Path.of("..", "sample-client", "src", "main", "resources",
					"application-k8s.yml")))
			.forEach(environment.getPropertySources()::addFirst);
		RpcProperties rpc = new Binder(ConfigurationPropertySources.get(environment)).bindOrCreate("rpc",
				RpcProperties.class);
		return DiscoveryPlanResolver.resolve(rpc);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> documents(Path file) throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		try (Reader reader = Files.newBufferedReader(file)) {
			for (Object document : new Yaml().loadAll(reader)) {
				if (document != null) {
					documents.add((Map<String, Object>) document);
				}
			}
		}
		return documents;
	}

	private static List<Map<String, Object>> kinds(List<Map<String, Object>> documents, String... kinds) {
		return documents.stream().filter((d) -> List.of(kinds).contains(d.get("kind"))).toList();
	}

	@SuppressWarnings("unchecked")
	private static List<Rule> rules(Map<String, Object> role) {
		List<Rule> rules = new ArrayList<>();
		for (Object each : list(role, "rules")) {
			Map<String, Object> rule = (Map<String, Object>) each;
			List<String> groups = (List<String>) rule.get("apiGroups");
			List<String> resources = (List<String>) rule.get("resources");
			assertThat(groups).as("one API group per rule").hasSize(1);
			assertThat(resources).as("one resource per rule").hasSize(1);
			rules.add(new Rule(groups.get(0), resources.get(0), (List<String>) rule.get("verbs")));
		}
		return rules;
	}

	private static String name(Map<String, Object> document) {
		return (String) map(document, "metadata").get("name");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		return (Map<String, Object>) parent.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Map<String, Object> parent, String key) {
		return (List<Object>) parent.get(key);
	}

}

package io.github.rpcdiscovery.diagnostics;

import java.time.Duration;
import java.util.List;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.kubernetes.KubernetesAccessDeniedException;
import io.github.rpcdiscovery.kubernetes.KubernetesDiscoveryHealthIndicator;
import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Real applications started against a mock API server: RBAC missing for a configured {@code k8s://} target stops
 * startup with the fix; missing for a service looked up later, it is one ERROR and a health detail; malformed targets
 * stop startup naming the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class KubernetesStartupFailuresTest {

	static final String ACCOUNT = "system:serviceaccount:default:sample-client";

	MockKubernetes cluster;

	@BeforeEach
	void start() {
		this.cluster = MockKubernetes.start();
		this.cluster.apply(slice("shop", "cart", "cart-a").port("http", 8080).ready("127.0.0.1", "cart-1").build());
	}

	@AfterEach
	void stop() {
		this.cluster.close();
	}

	@Test
	void aForbiddenConfiguredTargetFailsStartupWithTheRbacToGrant(CapturedOutput output) {
		this.cluster.deny("app-token", ACCOUNT, (path) -> path.contains("/namespaces/shop/"));
		long started = System.nanoTime();
		Throwable failure = catchThrowable(() -> run("--rpc.target=k8s://shop/cart:8080").close());
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no waiting for the initial load timeout")
			.isLessThan(Duration.ofSeconds(30));
		FailureAnalysis analysis = new KubernetesAccessDeniedFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getCause()).isInstanceOf(KubernetesAccessDeniedException.class);
		assertThat(analysis.getDescription()).startsWith("Kubernetes denied service account default/sample-client"
				+ " list, watch on endpointslices in API group discovery.k8s.io in namespace 'shop' (403 Forbidden)")
			.contains("Namespace:        shop")
			.contains("Service account:  default/sample-client")
			.contains("Needs:            list, watch on endpointslices in API group discovery.k8s.io, in namespace shop");
		assertThat(analysis.getAction())
			.contains("kubectl create role rpc-discovery-endpointslices --verb=list,watch"
					+ " --resource=endpointslices.discovery.k8s.io -n shop")
			.contains("--serviceaccount=default:sample-client -n shop")
			.contains("k8s/sample-client.yaml");
		// the analyzer is registered: Spring Boot printed the report, and the token is nowhere
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("kubectl create rolebinding rpc-discovery-endpointslices")
			.doesNotContain("app-token");
	}

	@Test
	void aForbiddenServiceLookedUpLaterIsOneErrorAndAHealthDetail(CapturedOutput output) {
		this.cluster.deny("app-token", ACCOUNT, (path) -> path.contains("service-name%3Dsecret"));
		try (ConfigurableApplicationContext context = run("--rpc.target=k8s://shop/cart:8080",
				"--rpc.discovery.initial-load-timeout=1s")) {
			DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
			assertThat(discovery.getInstances("cart")).hasSize(1);
			assertThat(discovery.getInstances("secret")).isEmpty();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output.getAll()).contains("ERROR")
					.contains("Kubernetes denied service account default/sample-client list, watch on endpointslices"
							+ " in API group discovery.k8s.io in namespace 'shop' (403 Forbidden), needed to discover"
							+ " Service 'secret'"));
			Object denied = context.getBean(KubernetesDiscoveryHealthIndicator.class).health().getDetails()
				.get("accessDenied");
			assertThat(denied).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
				.singleElement()
				.asString()
				.contains("kubectl create role");
			assertThat(discovery.getInstances("secret")).isEmpty();
			assertThat(output.getAll().split("needed to discover Service 'secret'", -1)).hasSize(2);
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = { "rpc.target|k8s://|names no service",
			"rpc.target|k8s://ns/|names no service", "rpc.target|k8s://ns/svc:http|rpc.kubernetes.port-name: http",
			"rpc.target|k8s://ns/svc:99999|out of range 1..65535",
			"rpc.target|k8s://Shop/svc:8080|'Shop' is not a valid namespace name",
			"rpc.clients[0].target|k8s://shop/my_svc:8080|'my_svc' is not a valid Service name" })
	void badTargetsFailStartupNamingThePropertyAndTheFix(String property, String value, String problem) {
		String name = property.startsWith("rpc.clients") ? "--rpc.clients[0].name=x" : "--rpc.name=x";
		Throwable failure = catchThrowable(() -> run("--" + property + "=" + value, name).close());
		FailureAnalysis analysis = new InvalidRpcPropertyFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		assertThat(analysis.getCause()).isInstanceOf(InvalidRpcPropertyException.class);
		assertThat(analysis.getDescription()).contains("Property: " + property)
			.contains("Value: '" + value + "'")
			.contains(problem);
		assertThat(analysis.getAction()).startsWith("Fix " + property + ":").contains("k8s://");
	}

	private ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(EmptyApp.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> all = new java.util.ArrayList<>(List.of(args));
		all.add("--rpc.kubernetes.master-url=" + this.cluster.url());
		all.add("--rpc.kubernetes.token=app-token");
		return application.run(all.toArray(String[]::new));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class EmptyApp {

	}

}

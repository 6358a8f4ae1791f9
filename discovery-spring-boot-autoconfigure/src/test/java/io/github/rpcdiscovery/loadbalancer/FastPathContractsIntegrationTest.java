package io.github.rpcdiscovery.loadbalancer;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.rpcdiscovery.balancer.NodeState;
import io.github.rpcdiscovery.testing.HttpBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ServiceInstanceChooser;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fast path for the ids this starter resolves (lookups remembered by {@link RpcLoadBalancerClientFactory}) keeps every
 * contract Spring Cloud users rely on, with real backends on loopback and RestClient, RestTemplate and WebClient:
 * lifecycle callbacks with the call's status, this starter's statistics, retries as
 * {@code spring.cloud.loadbalancer.retry.*} say, hints, {@code LoadBalancerClient}, Micrometer statistics, an
 * application's own balancer; and an id served by simple discovery goes through Spring Cloud's chain as before.
 */
class FastPathContractsIntegrationTest {

	static HttpBackend first;

	static HttpBackend second;

	static HttpBackend dead;

	static HttpBackend simple;

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		first = HttpBackend.start("127.0.0.1");
		second = HttpBackend.start("127.0.0.2");
		dead = HttpBackend.start("127.0.0.3");
		dead.stop();
		simple = HttpBackend.start("127.0.0.4");
		String pair = first.address() + "," + second.address();
		String deadThenLive = dead.address() + "," + first.address();
		List<String> args = new ArrayList<>(List.of("--rpc.clients[0].name=svc",
				"--rpc.clients[0].endpoints=" + pair, "--rpc.clients[1].name=single",
				"--rpc.clients[1].endpoints=" + first.address(), "--rpc.clients[2].name=custom",
				"--rpc.clients[2].endpoints=" + first.address(), "--spring.cloud.loadbalancer.retry.enabled=true",
				"--spring.cloud.loadbalancer.hint.svc=blue", "--spring.cloud.loadbalancer.hint-header-name=X-Hint",
				"--spring.cloud.loadbalancer.stats.micrometer.enabled=true",
				"--spring.cloud.discovery.client.simple.instances.stock[0].uri=http://" + simple.address()));
		// per client, so the cases do not share a balancer's state
		int index = 3;
		for (LoadBalancedCalls client : LoadBalancedCalls.values()) {
			for (String service : List.of("retried-" + client.tag, "unretried-" + client.tag)) {
				args.add("--rpc.clients[" + index + "].name=" + service);
				args.add("--rpc.clients[" + index + "].endpoints=" + deadThenLive);
				args.add("--rpc.clients[" + index + "].load-balancer=round-robin");
				index++;
			}
			args.add("--spring.cloud.loadbalancer.clients.unretried-" + client.tag
					+ ".retry.max-retries-on-next-service-instance=0");
		}
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		context = application.run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		context.close();
		first.close();
		second.close();
		dead.close();
		simple.close();
	}

	@BeforeEach
	void forgetEvents() {
		context.getBean(RecordingLifecycle.class).events.clear();
	}

	@ParameterizedTest
	@EnumSource(LoadBalancedCalls.class)
	void eachCallStartsAndCompletesOnceWithItsStatusAndItsHint(LoadBalancedCalls client) {
		assertThat(client.get(context, "svc")).isIn(first.address(), second.address());
		List<Event> events = context.getBean(RecordingLifecycle.class).events;
		assertThat(events).extracting(Event::kind).containsExactly("start", "startRequest", "complete");
		assertThat(events).allSatisfy((event) -> assertThat(event.hint()).isEqualTo("blue"));
		assertThat(events.get(1).port()).isIn(first.port(), second.port());
		assertThat(events.get(2).status()).isEqualTo(CompletionContext.Status.SUCCESS);
	}

	@ParameterizedTest
	@EnumSource(LoadBalancedCalls.class)
	void aRefusedConnectionIsReportedFailedAndRetriedOnTheOtherInstance(LoadBalancedCalls client) {
		String service = "retried-" + client.tag;
		for (int i = 0; i < 4; i++) {
			assertThat(client.get(context, service)).isEqualTo(first.address());
		}
		List<Event> completions = context.getBean(RecordingLifecycle.class).events.stream()
			.filter((event) -> event.kind().equals("complete"))
			.toList();
		assertThat(completions).anySatisfy((event) -> {
			assertThat(event.status()).isEqualTo(CompletionContext.Status.FAILED);
			assertThat(event.port()).isEqualTo(dead.port());
		});
		// this starter's statistics heard the failure: the dead node is out of the picks
		NodeState deadNode = context.getBean(ServiceBalancers.class).state(service).orElseThrow().nodes().stream()
			.filter((node) -> node.id().equals(dead.address()))
			.findFirst()
			.orElseThrow();
		assertThat(deadNode.failures()).isPositive();
		assertThat(deadNode.ejected()).isTrue();
	}

	@ParameterizedTest
	@EnumSource(LoadBalancedCalls.class)
	void noRetryOnTheNextInstanceWhenTheRetryPropertiesSayNone(LoadBalancedCalls client) {
		String service = "unretried-" + client.tag;
		int failed = 0;
		for (int i = 0; i < 2; i++) {
			try {
				client.get(context, service);
			}
			catch (RuntimeException ex) {
				failed++;
			}
		}
		assertThat(failed).isEqualTo(1);
		assertThat(first.calls()).isPositive();
	}

	@Test
	void theHintHeaderReachesTheRequest() {
		RestClient restClient = context.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class).build();
		restClient.get().uri("http://svc/hello").header("X-Hint", "green").retrieve().body(String.class);
		WebClient webClient = context.getBean("loadBalancedWebClientBuilder", WebClient.Builder.class).build();
		webClient.get().uri("http://svc/hello").header("X-Hint", "green").retrieve().bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
		List<Event> starts = context.getBean(RecordingLifecycle.class).events.stream()
			.filter((event) -> event.kind().equals("start"))
			.toList();
		assertThat(starts).hasSize(2).allSatisfy((event) -> assertThat(event.hintHeader()).isEqualTo("green"));
	}

	@Test
	void theLoadBalancerClientChoosesExecutesAndReconstructsTheUri() throws Exception {
		LoadBalancerClient client = context.getBean(LoadBalancerClient.class);
		assertThat(context.getBean(ServiceInstanceChooser.class)).isSameAs(client);
		assertThat(client.choose("svc").getPort()).isIn(first.port(), second.port());
		assertThat(client.choose("stock").getPort()).isEqualTo(simple.port());
		assertThat(client.choose("nobody")).isNull();
		assertThat(client.execute("single", ServiceInstance::getPort)).isEqualTo(first.port());
		ServiceInstance instance = client.choose("single");
		assertThat(client.reconstructURI(instance, URI.create("http://single/a/b%20c?q=1#f")))
			.isEqualTo(URI.create("http://" + first.address() + "/a/b%20c?q=1#f"));
		assertThat(context.getBean(RecordingLifecycle.class).events).extracting(Event::kind)
			.containsExactly("start", "startRequest", "complete");
	}

	@Test
	void aServiceFromSimpleDiscoveryGoesThroughSpringCloudsChain() {
		LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
		for (LoadBalancedCalls client : LoadBalancedCalls.values()) {
			assertThat(client.get(context, "stock")).isEqualTo(simple.address());
		}
		assertThat(factory.getInstance("stock")).isInstanceOf(RoundRobinLoadBalancer.class);
		assertThat(factory.getInstances("stock", CallOutcomeLifecycle.class)).isEmpty();
		// Spring Cloud's lookup every time: nothing remembered for an id this starter does not resolve
		assertThat(factory.getInstances("stock", LoadBalancerLifecycle.class))
			.isNotSameAs(factory.getInstances("stock", LoadBalancerLifecycle.class))
			.containsKey("recordingLifecycle");
		assertThat(context.getBean(RecordingLifecycle.class).events).extracting(Event::kind)
			.containsExactly("start", "startRequest", "complete", "start", "startRequest", "complete", "start",
					"startRequest", "complete");
	}

	@Test
	void theChildContextOfAResolvedIdIsAskedOncePerLookup() {
		LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
		LoadBalancedCalls.REST_CLIENT.get(context, "svc");
		Map<String, LoadBalancerLifecycle> lifecycles = factory.getInstances("svc", LoadBalancerLifecycle.class);
		assertThat(lifecycles).containsKeys("recordingLifecycle", "rpcCallOutcomeLifecycle");
		assertThat(factory.getInstances("svc", LoadBalancerLifecycle.class)).isSameAs(lifecycles);
		assertThat(factory.getInstance("svc")).isSameAs(factory.getInstance("svc"))
			.isInstanceOf(RpcServiceInstanceLoadBalancer.class);
	}

	@Test
	void micrometerStatisticsCountTheCallsOfAResolvedId() {
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		double before = successes(registry);
		for (LoadBalancedCalls client : LoadBalancedCalls.values()) {
			client.get(context, "single");
		}
		assertThat(successes(registry) - before).isEqualTo(3);
	}

	@Test
	void anApplicationsOwnBalancerIsStillAskedForEachCall() {
		CountingBalancer balancer = OwnBalancer.COUNTING;
		int before = balancer.picks.get();
		for (LoadBalancedCalls client : LoadBalancedCalls.values()) {
			assertThat(client.get(context, "custom")).isEqualTo(second.address());
		}
		assertThat(balancer.picks.get() - before).isEqualTo(3);
	}

	@Test
	void anIdNobodyResolvesFailsAsWithoutThisStarter() {
		assertThatThrownBy(() -> LoadBalancedCalls.REST_CLIENT.get(context, "nobody"))
			.hasMessageContaining("nobody");
	}

	private static double successes(MeterRegistry registry) {
		return registry.find("loadbalancer.requests.success").tag("serviceId", "single").timers().stream()
			.mapToDouble((timer) -> timer.count())
			.sum();
	}

	record Event(String kind, String hint, String hintHeader, int port, CompletionContext.Status status) {
	}

	/** An application's lifecycle bean: Spring Cloud calls it for every id, and it records what it is told. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static final class RecordingLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

		final List<Event> events = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Request<Object> request) {
			this.events.add(new Event("start", hint(request), hintHeader(request), -1, null));
		}

		@Override
		public void onStartRequest(Request<Object> request, Response<ServiceInstance> response) {
			this.events.add(new Event("startRequest", hint(request), hintHeader(request), port(response), null));
		}

		@Override
		public void onComplete(CompletionContext<Object, ServiceInstance, Object> context) {
			this.events.add(new Event("complete", hint(context.getLoadBalancerRequest()),
					hintHeader(context.getLoadBalancerRequest()), port(context.getLoadBalancerResponse()),
					context.status()));
		}

		private static String hint(Request request) {
			return (request != null && request.getContext() instanceof RequestDataContext data) ? data.getHint()
					: null;
		}

		private static String hintHeader(Request request) {
			return (request != null && request.getContext() instanceof RequestDataContext data
					&& data.getClientRequest() != null) ? data.getClientRequest().getHeaders().getFirst("X-Hint")
							: null;
		}

		private static int port(Response<ServiceInstance> response) {
			return (response != null && response.getServer() != null) ? response.getServer().getPort() : -1;
		}

	}

	/** An application's own balancer for one id: always the second backend. */
	static final class CountingBalancer implements ReactorServiceInstanceLoadBalancer {

		final AtomicInteger picks = new AtomicInteger();

		@Override
		@SuppressWarnings("rawtypes")
		public Mono<Response<ServiceInstance>> choose(Request request) {
			this.picks.incrementAndGet();
			return Mono.just(new DefaultResponse(
					new DefaultServiceInstance("custom-2", "custom", "127.0.0.2", second.port(), false)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(LoadBalancedCalls.ClientApplication.class)
	@org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient(name = "custom",
			configuration = OwnBalancer.class)
	static class TestApplication {

		@Bean
		RecordingLifecycle recordingLifecycle() {
			return new RecordingLifecycle();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	/** Only in the child context of "custom": a bean of the application context would serve every id. */
	static class OwnBalancer {

		static final CountingBalancer COUNTING = new CountingBalancer();

		@Bean
		ReactorServiceInstanceLoadBalancer ownBalancer() {
			return COUNTING;
		}

	}

}

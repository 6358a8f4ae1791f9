package io.github.rpcdiscovery.bench.loadbalancer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.BalancingPolicy;
import io.github.rpcdiscovery.balancer.NanoClock;
import io.github.rpcdiscovery.cloud.SpringCloudInstances;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.loadbalancer.CallOutcomeLifecycle;
import io.github.rpcdiscovery.loadbalancer.CatalogServiceInstanceListSupplier;
import io.github.rpcdiscovery.loadbalancer.RpcServiceInstanceLoadBalancer;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancer;
import io.github.rpcdiscovery.loadbalancer.ServiceBalancers;
import io.github.rpcdiscovery.target.HostAndPort;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;
import org.springframework.cloud.loadbalancer.support.SimpleObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * What this starter adds to each {@code @LoadBalanced} call, without HTTP: Spring Cloud's round robin choosing from
 * 5 instances, against this starter's P2C choosing from the same 5 and recording the call's start and end through
 * the lifecycle (what happens once per call in production). {@code p2cPickFromTheCatalog} is the pick as production
 * makes it, on the catalog's own supplier (the fast path: no subscription); run with {@code -prof gc}, its
 * {@code gc.alloc.rate.norm} must be about 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChooseBenchmark {

	private RoundRobinLoadBalancer springRoundRobin;

	private RpcServiceInstanceLoadBalancer p2c;

	private CallOutcomeLifecycle lifecycle;

	private RpcServiceInstanceLoadBalancer p2cOnTheCatalog;

	private final DefaultRequest<Object> request = new DefaultRequest<>();

	private final ResponseData ok = new ResponseData(HttpStatus.OK, new HttpHeaders(), null, null);

	@Setup
	public void setUp() {
		ServiceInstance[] instances = new ServiceInstance[5];
		for (int i = 0; i < instances.length; i++) {
			instances[i] = SpringCloudInstances
				.instance(new DiscoveredInstance("svc", new HostAndPort("127.0.0." + (i + 1), 8080), "direct", Map.of()));
		}
		ServiceInstanceListSupplier supplier = ServiceInstanceListSuppliers.from("svc", instances);
		this.springRoundRobin = new RoundRobinLoadBalancer(new SimpleObjectProvider<>(supplier), "svc");
		ServiceBalancer balancer = new ServiceBalancers((id) -> BalancingPolicy.P2C, BalancerSettings.defaults(),
				NanoClock.SYSTEM, ThreadLocalRandom.current())
			.forService("svc");
		this.p2c = new RpcServiceInstanceLoadBalancer(new SimpleObjectProvider<>(supplier), balancer);
		this.lifecycle = new CallOutcomeLifecycle(balancer);
		ServiceCatalog catalog = new ServiceCatalog();
		ServiceDiscovery discovery = new ServiceDiscovery(catalog, new DiscoveryPlan(List.of(), null, null), List.of(),
				Duration.ofSeconds(1));
		CatalogServiceInstanceListSupplier catalogSupplier = new CatalogServiceInstanceListSupplier("svc", discovery);
		catalog.update("svc", Arrays.stream(instances).map(SpringCloudInstances::unwrap).toList(), "benchmark");
		this.p2cOnTheCatalog = new RpcServiceInstanceLoadBalancer(new SimpleObjectProvider<>(catalogSupplier),
				balancer);
	}

	@Benchmark
	public Mono<Response<ServiceInstance>> p2cPickFromTheCatalog() {
		return this.p2cOnTheCatalog.choose(this.request);
	}

	@Benchmark
	public Response<ServiceInstance> springRoundRobinChoose() {
		return Mono.from(this.springRoundRobin.choose(new DefaultRequest<>())).block();
	}

	@Benchmark
	public Response<ServiceInstance> p2cChooseAndRecordTheCall() {
		DefaultRequest<Object> request = new DefaultRequest<>();
		Response<ServiceInstance> response = Mono.from(this.p2c.choose(request)).block();
		this.lifecycle.onStartRequest(request, response);
		this.lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.SUCCESS, request, response, this.ok));
		return response;
	}

}

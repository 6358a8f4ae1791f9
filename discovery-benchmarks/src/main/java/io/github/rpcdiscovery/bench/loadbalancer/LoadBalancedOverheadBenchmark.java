package io.github.rpcdiscovery.bench.loadbalancer;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a {@code @LoadBalanced} client costs end to end, in JMH: see {@link OverheadClients}. On a machine whose load
 * changes while it runs, prefer {@link LoadBalancerOverhead}, which interleaves the two sides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Threads(2)
@Fork(1)
public class LoadBalancedOverheadBenchmark {

	private OverheadClients clients;

	@Setup
	public void setUp() {
		this.clients = new OverheadClients();
	}

	@TearDown
	public void tearDown() {
		this.clients.close();
	}

	@Benchmark
	public String webClientLoadBalanced() {
		return this.clients.webClientLoadBalanced();
	}

	@Benchmark
	public String webClientDirect() {
		return this.clients.webClientDirect();
	}

	@Benchmark
	public String restClientLoadBalanced() {
		return this.clients.restClientLoadBalanced();
	}

	@Benchmark
	public String restClientDirect() {
		return this.clients.restClientDirect();
	}

	@Benchmark
	public String restTemplateLoadBalanced() {
		return this.clients.restTemplateLoadBalanced();
	}

	@Benchmark
	public String restTemplateDirect() {
		return this.clients.restTemplateDirect();
	}

}

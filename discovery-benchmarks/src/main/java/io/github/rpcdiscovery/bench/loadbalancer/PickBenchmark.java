package io.github.rpcdiscovery.bench.loadbalancer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.balancer.Balancer;
import io.github.rpcdiscovery.balancer.BalancerSettings;
import io.github.rpcdiscovery.balancer.BalancingPolicy;
import io.github.rpcdiscovery.balancer.EjectionListener;
import io.github.rpcdiscovery.balancer.NanoClock;
import io.github.rpcdiscovery.balancer.NodeStats;
import io.github.rpcdiscovery.balancer.NodeTable;
import io.github.rpcdiscovery.balancer.Outcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one pick through {@link Balancer#pick}: the list is the same object as in production (the catalog hands
 * out one list per change), the nodes carry latency samples of 10-30 ms, one of them is ejected. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} must be about 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PickBenchmark {

	@Param({ "p2c", "round-robin", "random" })
	public String policy;

	@Param({ "5", "100" })
	public int nodes;

	private Balancer<String> balancer;

	private List<String> instances;

	@Setup
	public void setUp() {
		NodeTable table = new NodeTable(BalancerSettings.defaults(), NanoClock.SYSTEM, EjectionListener.NONE);
		BalancingPolicy chosen = BalancingPolicy.valueOf(this.policy.toUpperCase().replace('-', '_'));
		this.balancer = new Balancer<>(table, chosen.newPicker(NanoClock.SYSTEM, ThreadLocalRandom.current()),
				(id) -> id);
		this.instances = new ArrayList<>();
		for (int i = 0; i < this.nodes; i++) {
			this.instances.add("127.0.0." + (1 + i % 250) + ":" + (8000 + i));
		}
		this.instances = List.copyOf(this.instances);
		long now = System.nanoTime();
		for (int i = 0; i < this.nodes; i++) {
			NodeStats node = this.balancer.statsOf(this.instances.get(i));
			node.callStarted();
			node.callCompleted(now - (10 + i % 20) * 1_000_000L, now, Outcome.SUCCESS);
		}
		NodeStats ejected = this.balancer.statsOf(this.instances.get(0));
		ejected.callStarted();
		ejected.callCompleted(now, now, Outcome.CONNECT_FAILURE);
		this.balancer.pick(this.instances);
	}

	@Benchmark
	public String pick() {
		return this.balancer.pick(this.instances);
	}

}

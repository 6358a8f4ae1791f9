package io.github.rpcdiscovery.bench.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.rpcdiscovery.cloud.RpcDiscoveryClient;
import io.github.rpcdiscovery.cloud.SpringCloudInstances;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import io.github.rpcdiscovery.core.ServiceCatalog;
import io.github.rpcdiscovery.core.ServiceDiscovery;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;
import io.github.rpcdiscovery.target.DiscoveryPlan;
import io.github.rpcdiscovery.target.HostAndPort;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * The cost of {@code DiscoveryClient.getInstances} on a loaded catalog of 1,000 services x 10 etcd instances: no
 * network, a map read returning the snapshot's own unmodifiable list. The baseline is a bare
 * {@code ConcurrentHashMap.get} over the same keys. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} must be
 * about 0 B/op for the reads.
 * <pre>
 * java -cp ... org.openjdk.jmh.Main 'bench.etcd.GetInstancesBenchmark' -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GetInstancesBenchmark {

	private static final int SERVICES = 1000;

	private static final int INSTANCES = 10;

	private String[] serviceIds;

	private DiscoveryClient client;

	private ServiceDiscovery discovery;

	private Map<String, List<ServiceInstance>> plainMap;

	private int next;

	@Setup(Level.Trial)
	public void load() {
		ServiceCatalog catalog = new ServiceCatalog();
		this.plainMap = new ConcurrentHashMap<>();
		this.serviceIds = new String[SERVICES];
		for (int s = 0; s < SERVICES; s++) {
			String serviceId = ScaleBenchmark.service(s);
			this.serviceIds[s] = serviceId;
			List<DiscoveredInstance> instances = new ArrayList<>();
			for (int i = 0; i < INSTANCES; i++) {
				instances.add(new DiscoveredInstance(serviceId, HostAndPort.parse(ScaleBenchmark.address(s, 10000 + i)),
						EtcdDiscoverySource.NAME, Map.of("zone", "z" + (i % 3))));
			}
			catalog.update(serviceId, instances, "etcd rev " + s);
			this.plainMap.put(serviceId, SpringCloudInstances.of(catalog.snapshot(serviceId)));
		}
		this.discovery = new ServiceDiscovery(catalog, new DiscoveryPlan(List.of(), null, null), List.of(),
				Duration.ofSeconds(1));
		this.client = new RpcDiscoveryClient(this.discovery, 0);
	}

	private String nextServiceId() {
		int i = this.next + 1;
		if (i == SERVICES) {
			i = 0;
		}
		this.next = i;
		return this.serviceIds[i];
	}

	@Benchmark
	public List<ServiceInstance> baselineConcurrentHashMapGet() {
		return this.plainMap.get(nextServiceId());
	}

	@Benchmark
	public List<DiscoveredInstance> serviceDiscoveryGetInstances() {
		return this.discovery.getInstances(nextServiceId());
	}

	@Benchmark
	public List<ServiceInstance> discoveryClientGetInstances() {
		return this.client.getInstances(nextServiceId());
	}

}

package io.github.rpcdiscovery.grpc;

import java.time.Duration;

import io.github.rpcdiscovery.etcd.EtcdConnections;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySettings;
import io.github.rpcdiscovery.etcd.EtcdDiscoverySource;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.test.grpc.GrpcBackend;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A channel on go-zero's target {@code etcd:///<hosts>?key=pay.rpc} against a real etcd whose keys the test writes in
 * go-zero's layout ({@code pay.rpc/<lease id>} → {@code host:port}, one lease per server): a revoked lease takes its
 * server out of the channel, an etcd outage leaves the channel calling the servers it knew, and the channel follows
 * etcd again once it is back. Round robin, so every listed server is called within a few calls.
 */
class GrpcEtcdResolverEndToEndTest {

	private static final EtcdDiscoverySettings FAST = new EtcdDiscoverySettings(Duration.ofSeconds(3),
			Duration.ofMillis(100), Duration.ofSeconds(1), 1000, 64, 4);

	private final EtcdProcess etcd = EtcdProcess.startSingle();

	private final EtcdCtl ctl = this.etcd.etcdctl();

	private final EtcdConnections connections = new EtcdConnections();

	private final ResolvingStack stack = new ResolvingStack(
			(catalog) -> new EtcdDiscoverySource(catalog, this.connections, FAST));

	private ManagedChannel channel;

	@AfterEach
	void close() {
		this.stack.close();
		this.connections.close();
		this.etcd.close();
	}

	@Test
	void followsLeasesSurvivesAnOutageAndResyncs() {
		GrpcBackend first = backend();
		GrpcBackend second = backend();
		GrpcBackend third = backend();
		long firstLease = register(first);
		long secondLease = register(second);
		this.channel = this.stack.roundRobinChannel("etcd:///" + this.etcd.hostAndPort() + "?key=pay.rpc");
		ServersAnswering.awaitExactly(this.channel, first, second);

		this.ctl.revoke(firstLease);
		ServersAnswering.awaitExactly(this.channel, second);

		register(third);
		ServersAnswering.awaitExactly(this.channel, second, third);

		this.etcd.stop();
		// etcd is down: for longer than the source's request timeout and back-off (it notices, retries, fails
		// again), the channel keeps the servers it knew and every call succeeds
		long outageEnd = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (System.nanoTime() - outageEnd < 0) {
			assertThat(ServersAnswering.of(this.channel, 20)).containsExactlyInAnyOrder(second.address(),
					third.address());
		}

		this.etcd.start();
		this.etcd.awaitServing();
		this.ctl.revoke(secondLease);
		register(first);
		ServersAnswering.awaitExactly(this.channel, first, third);
	}

	private GrpcBackend backend() {
		return this.stack.backend("127.0.0.1", 0);
	}

	/** What a go-zero zrpc server writes: its own lease, {@code <key>/<lease id>} → {@code host:port}. */
	private long register(GrpcBackend backend) {
		long lease = this.ctl.grantLease(60);
		this.ctl.put("pay.rpc/" + lease, backend.address(), lease);
		return lease;
	}

}

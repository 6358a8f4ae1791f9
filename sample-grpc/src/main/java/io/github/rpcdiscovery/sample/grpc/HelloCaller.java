package io.github.rpcdiscovery.sample.grpc;

import java.util.Map;
import java.util.TreeMap;

import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.stereotype.Component;

/**
 * Calls {@code hello.rpc} through both channels of application-client.yml at startup (20 calls each) and logs which
 * servers answered. {@link #call} is there for other callers (the sample's test).
 */
@Component
@Profile("client")
public class HelloCaller implements ApplicationRunner, DisposableBean {

	private static final Log logger = LogFactory.getLog(HelloCaller.class);

	private final ManagedChannel viaDiscovery;

	private final ManagedChannel viaGoZeroTarget;

	public HelloCaller(GrpcChannelFactory channels) {
		this.viaDiscovery = channels.createChannel("hello");
		this.viaGoZeroTarget = channels.createChannel("hello-gozero");
	}

	@Override
	public void run(ApplicationArguments args) {
		logger.info("discovery:///hello.rpc answered by " + call("hello", 20));
		logger.info("etcd:///...?key=hello.rpc answered by " + call("hello-gozero", 20));
	}

	/**
	 * Calls {@code n} times through a channel ({@code hello} or {@code hello-gozero}).
	 * @return how many calls each server answered, by address
	 */
	public Map<String, Integer> call(String channel, int n) {
		SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc
			.newBlockingStub(channel.equals("hello") ? this.viaDiscovery : this.viaGoZeroTarget);
		Map<String, Integer> answers = new TreeMap<>();
		for (int i = 0; i < n; i++) {
			answers.merge(stub.unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage(), 1, Integer::sum);
		}
		return answers;
	}

	@Override
	public void destroy() {
		this.viaDiscovery.shutdownNow();
		this.viaGoZeroTarget.shutdownNow();
	}

}

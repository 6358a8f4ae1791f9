package io.github.rpcdiscovery.sample.grpc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Two roles, one per profile: {@code server} serves {@code SimpleService} on gRPC and registers it in etcd as a go-zero
 * zrpc server does ({@code hello.rpc}); {@code client} calls it through {@code discovery:///hello.rpc} and go-zero's
 * {@code etcd:///127.0.0.1:2379?key=hello.rpc}, and prints which servers answered.
 * <pre>
 * etcd &amp;
 * java -jar sample-grpc.jar --spring.profiles.active=server
 * java -jar sample-grpc.jar --spring.profiles.active=server --spring.grpc.server.host=127.0.0.2
 * java -jar sample-grpc.jar --spring.profiles.active=client
 * </pre>
 */
@SpringBootApplication
public class SampleGrpcApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleGrpcApplication.class, args);
	}

}

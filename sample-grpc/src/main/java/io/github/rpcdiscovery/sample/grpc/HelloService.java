package io.github.rpcdiscovery.sample.grpc;

import java.net.InetSocketAddress;

import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;

import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Profile;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.stereotype.Service;

/** Answers every call with the address this server listens on, so a client sees where its calls went. */
@Service
@Profile("server")
public class HelloService extends SimpleServiceGrpc.SimpleServiceImplBase
		implements ApplicationListener<GrpcServerStartedEvent> {

	private volatile String address = "?";

	@Override
	public void onApplicationEvent(GrpcServerStartedEvent event) {
		event.getServer()
			.getListenSockets()
			.stream()
			.filter(InetSocketAddress.class::isInstance)
			.map(InetSocketAddress.class::cast)
			.findFirst()
			.ifPresent((socket) -> this.address = socket.getAddress().getHostAddress() + ":" + socket.getPort());
	}

	@Override
	public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
		responseObserver.onNext(SimpleResponse.newBuilder().setResponseMessage(this.address).build());
		responseObserver.onCompleted();
	}

}

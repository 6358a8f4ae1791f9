package io.github.rpcdiscovery.bench.startup;

import java.io.IOException;

import io.github.rpcdiscovery.test.kubernetes.MockKubernetes;

import static io.github.rpcdiscovery.test.kubernetes.EndpointSlices.slice;

/**
 * The Kubernetes API for startup.sh's Kubernetes row: fabric8's mock API server in CRUD mode on 127.0.0.1 holding one
 * EndpointSlice of Service {@code startup/startup-svc} with one ready endpoint, 127.0.0.1:8080 (never called: the app
 * only lists it). Prints {@code URL <url>} and serves until its standard input closes.
 */
public final class StartupApiServer {

	private StartupApiServer() {
	}

	public static void main(String[] args) throws IOException {
		try (MockKubernetes cluster = MockKubernetes.start()) {
			cluster.apply(slice("startup", "startup-svc", "startup-svc-a").port("http", 8080)
				.ready("127.0.0.1", "startup-pod-1")
				.build());
			System.out.println("URL " + cluster.url());
			System.out.flush();
			while (System.in.read() >= 0) {
				// serve until startup.sh closes our standard input
			}
		}
	}

}

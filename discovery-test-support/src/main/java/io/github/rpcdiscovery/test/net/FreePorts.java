package io.github.rpcdiscovery.test.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free TCP ports on a loopback address, never handed out twice by this JVM. */
public final class FreePorts {

	private static final Set<Integer> handedOut = new HashSet<>();

	private FreePorts() {
	}

	public static int next() {
		return next("127.0.0.1");
	}

	public static synchronized int next(String loopbackHost) {
		for (int attempt = 0; attempt < 50; attempt++) {
			try (ServerSocket socket = new ServerSocket()) {
				socket.setReuseAddress(false);
				socket.bind(new InetSocketAddress(InetAddress.getByName(loopbackHost), 0));
				int port = socket.getLocalPort();
				if (handedOut.add(port)) {
					return port;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		throw new IllegalStateException("no free port found on " + loopbackHost);
	}

}

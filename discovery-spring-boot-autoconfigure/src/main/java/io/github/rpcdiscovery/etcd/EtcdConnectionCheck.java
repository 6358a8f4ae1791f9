package io.github.rpcdiscovery.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.target.HostAndPort;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.jspecify.annotations.Nullable;

/**
 * Finds out why etcd does not answer. jetcd waits for a usable connection instead of failing, so a refused
 * connection, a certificate etcd does not trust or a CA that does not match all look the same to a caller: a call that
 * times out. This check connects to each endpoint itself (plain TCP, then a TLS handshake with the cluster's own TLS
 * settings) and says what it found, in words a user can act on. It never sends credentials.
 */
public final class EtcdConnectionCheck {

	private EtcdConnectionCheck() {
	}

	/**
	 * Why the cluster does not answer: the first problem found on any endpoint, or a sentence saying that every
	 * endpoint accepts connections (then etcd itself is stuck: no leader, paused, overloaded).
	 * @param timeout how long each connection attempt and handshake may take
	 */
	public static String explainNoAnswer(EtcdCluster cluster, Duration timeout) {
		for (String host : cluster.hosts()) {
			String problem = check(cluster, host, (int) Math.max(1, timeout.toMillis()));
			if (problem != null) {
				return problem;
			}
		}
		return "etcd at " + cluster.hosts() + " accepts connections but did not answer in time (no leader, paused or"
				+ " overloaded)";
	}

	private static @Nullable String check(EtcdCluster cluster, String endpoint, int timeoutMillis) {
		HostAndPort address = HostAndPort.parseOrNull(endpoint);
		if (address == null) {
			return "etcd endpoint '" + endpoint + "' is not host:port";
		}
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
			socket.setSoTimeout(timeoutMillis);
			return cluster.usesTls() ? handshakeProblem(cluster, socket, address)
					: tlsServerProblem(socket, address, timeoutMillis);
		}
		catch (ConnectException ex) {
			return "connection refused by " + address + " (etcd is not running there, or listens elsewhere)";
		}
		catch (SocketTimeoutException ex) {
			return "no answer from " + address + " within " + timeoutMillis + "ms (host down, firewall, or etcd paused)";
		}
		catch (UnknownHostException ex) {
			return "unknown host " + address.host();
		}
		catch (IOException ex) {
			return "cannot connect to " + address + ": " + ex.getMessage();
		}
	}

	/**
	 * A TLS handshake with the cluster's settings. TLS 1.2 on purpose: with TLS 1.3 a server rejects the client
	 * certificate only after the client considers the handshake done, so the refusal would not be seen here.
	 */
	private static @Nullable String handshakeProblem(EtcdCluster cluster, Socket socket, HostAndPort address) {
		SSLContext context;
		try {
			SslContext netty = EtcdConnections.trust(SslContextBuilder.forClient(), cluster)
				.sslProvider(SslProvider.JDK)
				.protocols("TLSv1.2")
				.build();
			if (!(netty instanceof JdkSslContext jdk)) {
				return null;
			}
			context = jdk.context();
		}
		catch (IOException | IllegalArgumentException ex) {
			return "the TLS files cannot be loaded (" + ex.getMessage() + ")";
		}
		try (SSLSocket tls = (SSLSocket) context.getSocketFactory()
			.createSocket(socket, address.host(), address.port(), false)) {
			tls.setEnabledProtocols(new String[] { "TLSv1.2" });
			if (!cluster.insecureSkipVerify()) {
				SSLParameters parameters = tls.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
				tls.setSSLParameters(parameters);
			}
			tls.startHandshake();
			// a refused client certificate may only show on the first read
			tls.getOutputStream().write(httpVersionRequest(address));
			tls.getOutputStream().flush();
			tls.getInputStream().read();
			return null;
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		catch (IOException ex) {
			return "TLS handshake with " + address + " failed: " + explainTls(rootMessage(ex), cluster);
		}
	}

	private static String explainTls(String message, EtcdCluster cluster) {
		String lower = message.toLowerCase(java.util.Locale.ROOT);
		if (lower.contains("pkix") || lower.contains("certification path") || lower.contains("unable to find valid")) {
			return "etcd's certificate is not signed by a CA this application trusts (rpc.etcd.ca-cert-file="
					+ cluster.caCertFile() + ") [" + message + "]";
		}
		if (lower.contains("subject alternative") || lower.contains("no name matching")) {
			return "etcd's certificate does not name the address it is reached at [" + message + "]";
		}
		if (lower.contains("bad_certificate") || lower.contains("certificate_required") || lower.contains("unknown_ca")
				|| lower.contains("certificate_unknown") || lower.contains("broken pipe")
				|| lower.contains("connection reset")) {
			if (cluster.certFile() == null) {
				return "etcd closed the connection during the handshake: it probably requires a client certificate"
						+ " (--client-cert-auth) and none is configured; set rpc.etcd.cert-file and rpc.etcd.cert-key-file"
						+ " [" + message + "]";
			}
			return "etcd refused this application's client certificate (rpc.etcd.cert-file=" + cluster.certFile()
					+ "): etcd requires one signed by its --trusted-ca-file [" + message + "]";
		}
		if (lower.contains("unrecognized ssl message") || lower.contains("plaintext")) {
			return "etcd does not serve TLS there: remove the TLS settings (rpc.etcd.ca-cert-file, cert-file,"
					+ " insecure-skip-verify) [" + message + "]";
		}
		return message;
	}

	/**
	 * A plain request to a server that speaks TLS gets no answer: etcd closes the connection at once. A TLS handshake
	 * (trusting anything, only to see whether the other side speaks TLS) then tells.
	 */
	private static @Nullable String tlsServerProblem(Socket socket, HostAndPort address, int timeoutMillis)
			throws IOException {
		socket.getOutputStream().write(httpVersionRequest(address));
		socket.getOutputStream().flush();
		try {
			if (readSome(socket.getInputStream()).length > 0) {
				return null;
			}
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		catch (IOException ex) {
			// reset: fall through to the TLS probe
		}
		return speaksTls(address, timeoutMillis) ? "etcd at " + address + " serves TLS but this application connects"
				+ " without it: set rpc.etcd.ca-cert-file (and cert-file/cert-key-file if etcd wants client certificates)"
				: "etcd at " + address + " closed the connection without answering";
	}

	private static boolean speaksTls(HostAndPort address, int timeoutMillis) {
		try (Socket plain = new Socket()) {
			plain.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
			plain.setSoTimeout(timeoutMillis);
			SslContext netty = SslContextBuilder.forClient()
				.sslProvider(SslProvider.JDK)
				.trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE)
				.build();
			if (!(netty instanceof JdkSslContext jdk)) {
				return false;
			}
			try (SSLSocket tls = (SSLSocket) jdk.context()
				.getSocketFactory()
				.createSocket(plain, address.host(), address.port(), false)) {
				tls.startHandshake();
				return true;
			}
		}
		catch (javax.net.ssl.SSLHandshakeException ex) {
			// the server answered in TLS, but refused us (a client certificate, say): it speaks TLS. One that closed
			// without a byte of TLS (a plain etcd going down, a proxy whose etcd is gone) proves nothing
			return !String.valueOf(ex.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("unrecognized")
					&& !closedWithoutAnswer(ex);
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	private static boolean closedWithoutAnswer(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.io.EOFException) {
				return true;
			}
		}
		return false;
	}

	private static byte[] httpVersionRequest(HostAndPort address) {
		return ("GET /version HTTP/1.1\r\nHost: " + address + "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] readSome(InputStream in) throws IOException {
		byte[] buffer = new byte[256];
		int read = in.read(buffer);
		return (read <= 0) ? new byte[0] : java.util.Arrays.copyOf(buffer, read);
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return (message != null) ? message : root.getClass().getSimpleName();
	}

}

package io.github.rpcdiscovery.test.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback for fault injection: forwards {@code 127.0.0.1:<port>} to a target, and can
 * {@linkplain #cut() reset every connection}, {@linkplain #blackhole() silently drop traffic} (connections stay open,
 * bytes vanish, as with a dead network path), or {@linkplain #refuse() refuse new connections}, until
 * {@linkplain #heal() healed}.
 */
public final class TcpProxy implements AutoCloseable {

	private enum Mode {

		FORWARD, BLACKHOLE, REFUSE

	}

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "tcp-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile Mode mode = Mode.FORWARD;

	private volatile boolean closed;

	private TcpProxy(ServerSocket server, InetSocketAddress target) {
		this.server = server;
		this.target = target;
	}

	/** A proxy on a free port of 127.0.0.1 in front of {@code targetHost:targetPort}. */
	public static TcpProxy start(String targetHost, int targetPort) {
		try {
			ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
			TcpProxy proxy = new TcpProxy(server, new InetSocketAddress(targetHost, targetPort));
			proxy.executor.execute(proxy::acceptLoop);
			return proxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** {@code 127.0.0.1:<port>} */
	public String address() {
		return "127.0.0.1:" + port();
	}

	/** Resets every open connection (RST); new connections are still forwarded. */
	public void cut() {
		closeAll(true);
	}

	/** Keeps connections open but drops every byte in both directions; new connections are accepted and drowned. */
	public void blackhole() {
		this.mode = Mode.BLACKHOLE;
	}

	/** Resets every open connection and refuses new ones, as if the target were down. */
	public void refuse() {
		this.mode = Mode.REFUSE;
		closeAll(true);
	}

	/** Back to forwarding. Connections drowned by {@link #blackhole()} are reset so that clients reconnect. */
	public void heal() {
		Mode previous = this.mode;
		this.mode = Mode.FORWARD;
		if (previous == Mode.BLACKHOLE) {
			closeAll(true);
		}
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				if (this.mode == Mode.REFUSE) {
					reset(client);
					continue;
				}
				Socket upstream = new Socket();
				try {
					upstream.connect(this.target, 2000);
				}
				catch (IOException ex) {
					// the target is down: the caller sees a reset, and its socket is not left open
					reset(client);
					reset(upstream);
					continue;
				}
				this.sockets.add(client);
				this.sockets.add(upstream);
				this.executor.execute(() -> pump(client, upstream));
				this.executor.execute(() -> pump(upstream, client));
			}
			catch (IOException ex) {
				if (this.closed) {
					return;
				}
			}
		}
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				if (this.mode == Mode.FORWARD) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			// a cut or a closed peer ends the pump
		}
		finally {
			reset(from);
			reset(to);
		}
	}

	private void closeAll(boolean hard) {
		for (Socket socket : this.sockets) {
			if (hard) {
				reset(socket);
			}
		}
	}

	private void reset(Socket socket) {
		this.sockets.remove(socket);
		try {
			socket.setSoLinger(true, 0);
		}
		catch (SocketException ex) {
			// already closed
		}
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		closeAll(true);
		this.executor.shutdownNow();
	}

}

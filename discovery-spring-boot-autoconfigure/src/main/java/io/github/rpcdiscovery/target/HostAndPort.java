package io.github.rpcdiscovery.target;

import java.util.Locale;

/**
 * A {@code host:port} pair as go-zero writes it in etcd and in {@code Endpoints}: IPv6 hosts are bracketed
 * ({@code [::1]:8080}), everything else is written as given. Parsing is strict: a missing port, a port out of range
 * or an empty host is an error, never a guess.
 *
 * @param host the host without brackets
 * @param port a TCP port, 1..65535
 */
public record HostAndPort(String host, int port) {

	public HostAndPort {
		if (host == null || host.isBlank()) {
			throw new IllegalArgumentException("the host is empty");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
		}
	}

	/**
	 * Parses {@code host:port}, {@code [ipv6]:port}; whitespace around the value is ignored.
	 * @throws IllegalArgumentException with a message that says what is wrong with the value
	 */
	public static HostAndPort parse(String value) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("the value is empty");
		}
		String text = value.strip();
		String host;
		String port;
		if (text.startsWith("[")) {
			int close = text.indexOf(']');
			if (close < 0) {
				throw new IllegalArgumentException("'[' without a closing ']'");
			}
			host = text.substring(1, close);
			String rest = text.substring(close + 1);
			if (!rest.startsWith(":")) {
				throw new IllegalArgumentException("it has no port (expected [ipv6]:port)");
			}
			port = rest.substring(1);
		}
		else {
			int colon = text.lastIndexOf(':');
			if (colon < 0) {
				throw new IllegalArgumentException("it has no port (expected host:port)");
			}
			if (text.indexOf(':') != colon) {
				throw new IllegalArgumentException("an IPv6 address must be bracketed, e.g. [::1]:8080");
			}
			host = text.substring(0, colon);
			port = text.substring(colon + 1);
		}
		if (host.isBlank()) {
			throw new IllegalArgumentException("the host is empty");
		}
		return new HostAndPort(host, parsePort(port));
	}

	/** Parses a decimal TCP port, with messages that name the problem. */
	public static int parsePort(String text) {
		if (text.isEmpty()) {
			throw new IllegalArgumentException("it has no port (expected host:port)");
		}
		for (int i = 0; i < text.length(); i++) {
			if (!Character.isDigit(text.charAt(i))) {
				throw new IllegalArgumentException("port '" + text + "' is not a number");
			}
		}
		long port = text.length() > 6 ? Long.MAX_VALUE : Long.parseLong(text);
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port " + text + " is out of range 1..65535");
		}
		return (int) port;
	}

	/** Parses, returning {@code null} instead of throwing: for data read from a registry. */
	public static HostAndPort parseOrNull(String value) {
		try {
			return parse(value);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	public boolean isIpv6() {
		return this.host.indexOf(':') >= 0;
	}

	public boolean isLoopback() {
		String h = this.host.toLowerCase(Locale.ROOT);
		return h.startsWith("127.") || h.equals("::1") || h.equals("localhost") || h.equals("0:0:0:0:0:0:0:1");
	}

	/** The go-zero wire form: {@code host:port}, IPv6 bracketed. */
	@Override
	public String toString() {
		return isIpv6() ? "[" + this.host + "]:" + this.port : this.host + ":" + this.port;
	}

}

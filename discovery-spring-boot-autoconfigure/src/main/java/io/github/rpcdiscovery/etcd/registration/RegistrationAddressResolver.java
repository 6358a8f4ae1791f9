package io.github.rpcdiscovery.etcd.registration;

import java.util.function.Supplier;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import io.github.rpcdiscovery.target.HostAndPort;
import org.jspecify.annotations.Nullable;

/**
 * Where the registered address comes from, in go-zero's order (its {@code figureOutListenOn}), done better:
 * <ol>
 * <li>{@code rpc.listen-on}'s host, unless it is empty or a wildcard ({@code 0.0.0.0}, {@code ::}); a loopback host
 * given here is taken as asked for;</li>
 * <li>else the {@code POD_IP} environment variable (Kubernetes' downward API);</li>
 * <li>else the first non-loopback address Spring Cloud's {@code InetUtils} finds (honouring
 * {@code spring.cloud.inetutils.preferred-networks} and {@code ignored-interfaces}); if even that is loopback, it is
 * refused: other machines could not reach it.</li>
 * </ol>
 * The port is {@code rpc.listen-on}'s port if it has one, else the port the caller passes (the web server's). IPv6
 * hosts are written bracketed ({@code [fd00::1]:8080}).
 */
public final class RegistrationAddressResolver {

	static final String PROPERTY = "rpc.listen-on";

	private final ListenOn listenOn;

	private final Supplier<@Nullable String> podIp;

	private final Supplier<@Nullable String> detectedHost;

	/**
	 * @param listenOn {@code rpc.listen-on}, or {@code null}
	 * @param podIp reads {@code POD_IP}
	 * @param detectedHost finds this machine's address (Spring Cloud's {@code InetUtils}); called only when needed
	 * @throws InvalidRpcPropertyException if {@code listenOn} is not an address
	 */
	public RegistrationAddressResolver(@Nullable String listenOn, Supplier<@Nullable String> podIp,
			Supplier<@Nullable String> detectedHost) {
		this.listenOn = ListenOn.parse(listenOn);
		this.podIp = podIp;
		this.detectedHost = detectedHost;
	}

	/** Whether {@code rpc.listen-on} gives a port: then there is an address to register even without a web server. */
	public boolean hasPort() {
		return this.listenOn.port() != null;
	}

	/**
	 * The address to register.
	 * @param serverPort the port the application serves on (the web server's), or {@code null} if it has none
	 * @return the address, or {@code null} when no port is known (a non-web application without a port in
	 * {@code rpc.listen-on}): nothing to register
	 * @throws InvalidRpcPropertyException if the only address found is loopback and nobody asked for it
	 */
	public @Nullable Resolved resolve(@Nullable Integer serverPort) {
		Integer port = (this.listenOn.port() != null) ? this.listenOn.port() : serverPort;
		if (port == null || port <= 0) {
			return null;
		}
		if (this.listenOn.host() != null) {
			return new Resolved(new HostAndPort(this.listenOn.host(), port), PROPERTY);
		}
		String pod = usable(this.podIp.get());
		if (pod != null) {
			return new Resolved(new HostAndPort(pod, port), "POD_IP");
		}
		String detected = usable(this.detectedHost.get());
		if (detected == null) {
			throw new InvalidRpcPropertyException(PROPERTY, "", "no address to register was found: rpc.listen-on has"
					+ " no host, POD_IP is not set and Spring Cloud's InetUtils found no address",
					"set rpc.listen-on to the address other services should call (in Kubernetes: rpc.listen-on:"
							+ " ${POD_IP}), or set POD_IP");
		}
		HostAndPort address = new HostAndPort(detected, port);
		if (address.isLoopback()) {
			throw new InvalidRpcPropertyException(PROPERTY, (this.listenOn.text() != null) ? this.listenOn.text() : "",
					"the only address found automatically is the loopback address " + detected + ", which other"
							+ " machines cannot call",
					"set rpc.listen-on to the address other services should call (e.g. the pod or host address, or"
							+ " ${POD_IP}); a loopback address such as rpc.listen-on: 127.0.0.1 is registered only when"
							+ " set there explicitly (single-machine setups)");
		}
		return new Resolved(address, "InetUtils");
	}

	/** An IP from the environment, or {@code null} if it names no single reachable host. */
	private static @Nullable String usable(@Nullable String host) {
		if (host == null || host.isBlank()) {
			return null;
		}
		String bare = unbracket(host.strip());
		int zone = bare.indexOf('%');
		if (zone > 0) {
			// a scoped IPv6 address (fe80::1%eth0): the scope means nothing on another machine
			bare = bare.substring(0, zone);
		}
		return isWildcard(bare) ? null : bare;
	}

	static boolean isWildcard(String host) {
		return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0")
				|| host.equals("*");
	}

	private static String unbracket(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	/**
	 * An address and where it came from ({@code rpc.listen-on}, {@code POD_IP} or {@code InetUtils}), for the log.
	 *
	 * @param address the address to register
	 * @param origin where it came from
	 */
	public record Resolved(HostAndPort address, String origin) {

	}

	/**
	 * go-zero's {@code ListenOn}: {@code host:port}, {@code [ipv6]:port}, {@code :port} (any host), a bare host or
	 * {@code [ipv6]} (the web server's port).
	 *
	 * @param text the value as written, or {@code null}
	 * @param host the host to register, or {@code null} when it is empty or a wildcard
	 * @param port the port to register, or {@code null} to use the server's
	 */
	record ListenOn(@Nullable String text, @Nullable String host, @Nullable Integer port) {

		static ListenOn parse(@Nullable String value) {
			if (value == null || value.isBlank()) {
				return new ListenOn(null, null, null);
			}
			String text = value.strip();
			String host;
			String port = null;
			if (text.startsWith("[")) {
				int close = text.indexOf(']');
				if (close < 0) {
					throw invalid(value, "'[' without a closing ']'");
				}
				host = text.substring(1, close);
				String rest = text.substring(close + 1);
				if (!rest.isEmpty()) {
					if (!rest.startsWith(":")) {
						throw invalid(value, "unexpected '" + rest + "' after the IPv6 address");
					}
					port = rest.substring(1);
				}
			}
			else {
				int colons = (int) text.chars().filter((c) -> c == ':').count();
				if (colons > 1) {
					host = text;
				}
				else if (colons == 1) {
					host = text.substring(0, text.indexOf(':'));
					port = text.substring(text.indexOf(':') + 1);
				}
				else if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
					throw invalid(value, "a bare number is ambiguous", "write :" + text + " for a port, or host:"
							+ text);
				}
				else {
					host = text;
				}
			}
			if (host.chars().anyMatch((c) -> Character.isWhitespace(c) || c == '/' || c == '@')) {
				throw invalid(value, "'" + host + "' is not a host name or IP address");
			}
			Integer parsedPort = null;
			if (port != null) {
				try {
					parsedPort = HostAndPort.parsePort(port);
				}
				catch (IllegalArgumentException ex) {
					throw invalid(value, ex.getMessage());
				}
			}
			return new ListenOn(text, isWildcard(host) ? null : host, parsedPort);
		}

		private static InvalidRpcPropertyException invalid(String value, String problem) {
			return invalid(value, problem, "write it as host:port, host, :port or [ipv6]:port, e.g. 127.0.0.1:8080");
		}

		private static InvalidRpcPropertyException invalid(String value, String problem, String fix) {
			return new InvalidRpcPropertyException(PROPERTY, value, problem, fix);
		}

	}

}

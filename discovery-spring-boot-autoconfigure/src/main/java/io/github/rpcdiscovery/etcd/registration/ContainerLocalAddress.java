package io.github.rpcdiscovery.etcd.registration;

import org.jspecify.annotations.Nullable;

/**
 * Addresses that only this container (loopback) or this host's containers (a container runtime's default bridge)
 * can reach. Works on the text of IP literals only: never resolves a name, never opens a socket.
 */
final class ContainerLocalAddress {

	private ContainerLocalAddress() {
	}

	/**
	 * What the host is, if only this container or this host can reach it: {@code loopback}, or which runtime's
	 * default bridge network; {@code null} for any other address (or a host name).
	 */
	static @Nullable String kind(String host) {
		String h = host.strip();
		if (h.startsWith("[") && h.endsWith("]")) {
			h = h.substring(1, h.length() - 1);
		}
		if (h.equalsIgnoreCase("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
			return "loopback";
		}
		int[] ip = ipv4(h);
		if (ip == null) {
			return null;
		}
		if (ip[0] == 127) {
			return "loopback";
		}
		if (ip[0] == 172 && ip[1] == 17) {
			return "Docker's default bridge network (172.17.0.0/16)";
		}
		if (ip[0] == 10 && ip[1] == 88) {
			return "Podman's default bridge network (10.88.0.0/16)";
		}
		return null;
	}

	private static int @Nullable [] ipv4(String text) {
		String[] parts = text.split("\\.", -1);
		if (parts.length != 4) {
			return null;
		}
		int[] ip = new int[4];
		for (int i = 0; i < 4; i++) {
			if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
				return null;
			}
			ip[i] = Integer.parseInt(parts[i]);
			if (ip[i] > 255) {
				return null;
			}
		}
		return ip;
	}

}

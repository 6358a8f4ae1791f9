package io.github.rpcdiscovery.kubernetes;

import java.util.List;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import org.jspecify.annotations.Nullable;

/**
 * Which port of a slice's endpoints one service id calls. go-zero's rule, made safe for Services with several ports:
 * the number in the target ({@code k8s://ns/svc:8080}, the pod port, used as is); else the port named by
 * {@code rpc.kubernetes.port-name(s)}; else the slice's only port. Decided per slice, because a named target port can
 * map to different numbers in different slices (pods of two versions during a rollout).
 */
final class PortRule {

	private final @Nullable Integer number;

	private final @Nullable String name;

	private PortRule(@Nullable Integer number, @Nullable String name) {
		this.number = number;
		this.name = name;
	}

	static PortRule of(@Nullable Integer targetPort, @Nullable String portName) {
		return (targetPort != null) ? new PortRule(targetPort, null) : new PortRule(null, portName);
	}

	/** The port for a slice with these ports, or the reason there is none. */
	Choice choose(@Nullable List<EndpointPort> ports) {
		List<EndpointPort> declared = (ports != null) ? ports : List.of();
		if (this.number != null) {
			return new Choice(this.number, nameOf(declared, this.number), null);
		}
		if (this.name != null) {
			for (EndpointPort port : declared) {
				if (this.name.equals(port.getName())) {
					return usable(port);
				}
			}
			return Choice.none("it has no port named '" + this.name + "' (its ports: " + describe(declared) + ")");
		}
		if (declared.size() == 1) {
			return usable(declared.get(0));
		}
		if (declared.isEmpty()) {
			return Choice.none("it declares no port; write the pod port in the target, e.g. k8s://namespace/service:8080");
		}
		return Choice.none("it has several ports (" + describe(declared) + ") and the target names none; write the"
				+ " pod port in the target (k8s://namespace/service:8080) or set rpc.kubernetes.port-name to one of "
				+ declared.stream().map(EndpointPort::getName).filter((n) -> n != null && !n.isEmpty())
					.collect(Collectors.joining(", ")));
	}

	private static Choice usable(EndpointPort port) {
		Integer number = port.getPort();
		if (number == null || number < 1 || number > 65535) {
			return Choice.none("its port '" + port.getName() + "' has no usable number (" + number + ")");
		}
		return new Choice(number, emptyToNull(port.getName()), null);
	}

	private static @Nullable String nameOf(List<EndpointPort> ports, int number) {
		for (EndpointPort port : ports) {
			if (port.getPort() != null && port.getPort() == number) {
				return emptyToNull(port.getName());
			}
		}
		return null;
	}

	private static String describe(List<EndpointPort> ports) {
		if (ports.isEmpty()) {
			return "none";
		}
		return ports.stream()
			.map((port) -> ((port.getName() == null || port.getName().isEmpty()) ? "(unnamed)" : port.getName()) + "="
					+ port.getPort())
			.collect(Collectors.joining(", "));
	}

	private static @Nullable String emptyToNull(@Nullable String text) {
		return (text == null || text.isEmpty()) ? null : text;
	}

	@Override
	public String toString() {
		return (this.number != null) ? "port " + this.number
				: (this.name != null) ? "port named " + this.name : "the only port";
	}

	/**
	 * @param port the port, or 0 when there is none
	 * @param name the slice's name of that port, if any
	 * @param problem why there is no port, or {@code null}
	 */
	record Choice(int port, @Nullable String name, @Nullable String problem) {

		static Choice none(String problem) {
			return new Choice(0, null, problem);
		}

	}

}

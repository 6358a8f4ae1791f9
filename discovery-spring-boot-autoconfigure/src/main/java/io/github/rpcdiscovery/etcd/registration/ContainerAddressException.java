package io.github.rpcdiscovery.etcd.registration;

/**
 * The address found to register is one that other machines cannot call, and this process runs in a container: a
 * container bridge address detected automatically. The failure analyzer says how to set {@code rpc.listen-on} or
 * {@code POD_IP}.
 */
public class ContainerAddressException extends RuntimeException {

	private final String address;

	private final String origin;

	private final String kind;

	private final String evidence;

	ContainerAddressException(String address, String origin, String kind, String evidence) {
		super("Refusing to register " + address + " (from " + origin + "): it is on " + kind + ", which other machines"
				+ " cannot reach, and this process runs in a container (" + evidence + ")");
		this.address = address;
		this.origin = origin;
		this.kind = kind;
		this.evidence = evidence;
	}

	public String getAddress() {
		return this.address;
	}

	/** Where the address came from: {@code rpc.listen-on}, {@code POD_IP} or {@code InetUtils}. */
	public String getOrigin() {
		return this.origin;
	}

	public String getKind() {
		return this.kind;
	}

	/** Why this process looks like it runs in a container. */
	public String getEvidence() {
		return this.evidence;
	}

}

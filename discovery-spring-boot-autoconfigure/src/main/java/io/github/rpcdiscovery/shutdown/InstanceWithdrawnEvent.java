package io.github.rpcdiscovery.shutdown;

import org.springframework.context.ApplicationEvent;

/**
 * This application stopped being discoverable: a registration's keys left the registry (its lease was revoked), or the
 * platform took its endpoint out. From now on clients drop it; the {@link DrainCoordinator} lets them finish doing so
 * before the servers stop accepting.
 */
public class InstanceWithdrawnEvent extends ApplicationEvent {

	private final String what;

	/**
	 * @param source the publisher
	 * @param what what was withdrawn, for the log, e.g. {@code sample-server/7587857472832806666}
	 */
	public InstanceWithdrawnEvent(Object source, String what) {
		super(source);
		this.what = what;
	}

	public String getWhat() {
		return this.what;
	}

}

package io.github.rpcdiscovery.status;

import java.util.List;

/** A service registry that registers this application, and says how its registrations stand. */
public interface RegistrationStatusProvider {

	/**
	 * The registrations held now, and those withdrawn at shutdown ({@link RegistrationState#DRAINING}). Reads what
	 * the registry already knows, never calls the registry: health checks and scrapes must not wait on an outage.
	 */
	List<RegistrationStatus> registrations();

	/** Metrics hear about lease renewals and grants from now on. */
	void observe(DiscoveryObserver observer);

}

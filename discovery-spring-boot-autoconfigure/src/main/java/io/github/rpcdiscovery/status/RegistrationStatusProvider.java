package io.github.rpcdiscovery.status;

import java.util.List;

/** A service registry that registers this application, and says how its registrations stand. */
public interface RegistrationStatusProvider {

	/**
	 * The registrations held now, and those withdrawn at shutdown ({@link RegistrationState#DRAINING}).
	 * @param askRegistry also ask the registry for each lease's time to live (a bounded remote call per
	 * registration); otherwise it is computed from the last renewal
	 */
	List<RegistrationStatus> registrations(boolean askRegistry);

	/** Metrics hear about lease renewals and grants from now on. */
	void observe(DiscoveryObserver observer);

}

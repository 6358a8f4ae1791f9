package io.github.rpcdiscovery.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.rpcdiscovery.status.RegistrationState;
import io.github.rpcdiscovery.status.RegistrationStatus;
import io.github.rpcdiscovery.status.RegistrationStatusProvider;

/** Which registrations count as lost: not in the registry, though wanted, for longer than the grace period. */
final class RegistrationHealth {

	private RegistrationHealth() {
	}

	/** The registrations lost (or never made) for longer than {@code after}, one line each. */
	static List<String> lost(List<RegistrationStatusProvider> providers, Duration after, Instant now) {
		List<String> lost = new ArrayList<>();
		for (RegistrationStatusProvider provider : providers) {
			for (RegistrationStatus status : provider.registrations()) {
				if (isLost(status, after, now)) {
					lost.add(status.serviceKey() + " (" + status.address() + ") "
							+ ((status.state() == RegistrationState.REGISTERING) ? "not registered" : "lost") + " since "
							+ status.since() + ((status.lastError() != null) ? ": " + status.lastError() : ""));
				}
			}
		}
		return lost;
	}

	static boolean isLost(RegistrationStatus status, Duration after, Instant now) {
		boolean missing = status.state() == RegistrationState.LOST || status.state() == RegistrationState.REGISTERING;
		return missing && Duration.between(status.since(), now).compareTo(after) > 0;
	}

}

package io.github.rpcdiscovery.etcd.registration;

import java.util.Locale;

import io.github.rpcdiscovery.etcd.EtcdFailure;
import io.github.rpcdiscovery.target.EtcdCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Logs a registration's outages the way an operator wants them: one WARN when registering starts failing, naming the
 * cause and the fix (once more only if the sort of failure changes, say from unreachable to refused credentials), and
 * one INFO when it works again. Never a line per retry, never a stack trace.
 */
final class OutageLog {

	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	private final String key;

	private final EtcdCluster cluster;

	/** When etcd last answered (a renewal or a successful check): where an outage is counted from. */
	private volatile long lastAnswerNanos = System.nanoTime();

	private volatile @Nullable Outage outage;

	OutageLog(String key, EtcdCluster cluster) {
		this.key = key;
		this.cluster = cluster;
	}

	/** etcd answered (a renewal, a successful call). */
	void answered() {
		this.lastAnswerNanos = System.nanoTime();
	}

	boolean isOpen() {
		return this.outage != null;
	}

	/**
	 * A call failed. Logs the WARN if this starts an outage or changes its sort.
	 * @param consequence what happens meanwhile, appended to the WARN
	 * @return the failure as logged, or {@code null} if it was not logged (same outage, same sort)
	 */
	@Nullable EtcdFailure failed(Exception ex, String consequence) {
		EtcdFailure.Kind kind = EtcdFailure.quickKind(ex);
		Outage current = this.outage;
		if (current != null && current.kind() == kind) {
			return null;
		}
		// the full classification checks the connection (up to a second per endpoint): once per outage, not per retry
		EtcdFailure failure = EtcdFailure.of(ex, this.cluster);
		this.outage = new Outage(kind, (current != null) ? current.sinceNanos() : this.lastAnswerNanos);
		logger.warn(describe(failure) + ". Fix: " + failure.fix(this.cluster) + ". " + consequence);
		return failure;
	}

	/** The first line of the WARN: which registration, where, and why. */
	String describe(EtcdFailure failure) {
		return "Cannot keep " + this.key + " registered in " + this.cluster + ": " + failure.description();
	}

	/** Registering works: closes an open outage with its INFO line. */
	void ended(String state) {
		answered();
		Outage ended = this.outage;
		if (ended != null) {
			this.outage = null;
			logger.info("Registration of " + this.key + " in " + this.cluster + " works again after "
					+ String.format(Locale.ROOT, "%.1f", (System.nanoTime() - ended.sinceNanos()) / 1e9)
					+ "s of failures; it is registered as " + state);
		}
	}

	private record Outage(EtcdFailure.Kind kind, long sinceNanos) {

	}

}

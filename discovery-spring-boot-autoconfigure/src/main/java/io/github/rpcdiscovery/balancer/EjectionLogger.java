package io.github.rpcdiscovery.balancer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One WARN when a node's outage starts (its first ejection) and one INFO when it ends (it answers a probe again);
 * the longer ejections in between are DEBUG, so a node that stays down does not flood the log. Used by the
 * {@code @LoadBalanced} clients and by gRPC's {@code p2c_ewma}.
 */
public final class EjectionLogger implements EjectionListener {

	// the category users already configure for the balancer's log lines, kept when this class moved here
	private static final Log logger = LogFactory.getLog("io.github.rpcdiscovery.loadbalancer.ServiceBalancer");

	private final String serviceId;

	/** @param serviceId the service the nodes belong to (a gRPC channel's authority), for the log lines */
	public EjectionLogger(String serviceId) {
		this.serviceId = serviceId;
	}

	@Override
	public void ejected(NodeStats node, Outcome cause, int ejections, long nanos) {
		String reason = (cause == Outcome.CONNECT_FAILURE) ? "its connection was refused"
				: "its calls failed several times in a row";
		if (ejections == 1) {
			logger.warn("Instance " + node.id() + " of '" + this.serviceId + "' gets no calls for " + millis(nanos)
					+ ": " + reason + "; it is tried again then");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Instance " + node.id() + " of '" + this.serviceId + "' still fails (" + reason
					+ "); tried again in " + millis(nanos));
		}
	}

	@Override
	public void readmitted(NodeStats node, long outageNanos) {
		logger.info("Instance " + node.id() + " of '" + this.serviceId + "' answers again after " + millis(outageNanos)
				+ " and gets calls again");
	}

	private static String millis(long nanos) {
		long millis = nanos / 1_000_000;
		if (millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return (millis < 1000) ? millis + "ms" : String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
	}

}

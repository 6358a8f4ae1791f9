package io.github.rpcdiscovery.balancer;

/**
 * A read-only view of one node's statistics at one moment.
 *
 * @param id the node's identity, e.g. {@code 127.0.0.1:8080}
 * @param listed whether the node is in the latest instance list (statistics of a departed node are kept a while)
 * @param load go-zero's load, {@code sqrt(lag + 1) * (inflight + 1)}; lower is better
 * @param inflight calls in flight
 * @param latencyMillis the average latency: the median of the first 10 calls, then a mean that decays with time (τ =
 * 10 s) once the calls span that long
 * @param success the decaying average success score, 0..1000
 * @param healthy whether the success score is above 500
 * @param ejected whether the node is ejected now
 * @param ejectedForMillis how much longer it stays ejected
 * @param probation whether its ejection ended and it takes one call at a time until one succeeds
 * @param lastPickMillisAgo how long ago it was last picked
 * @param calls calls completed
 * @param failures calls failed
 * @param consecutiveFailures failures since the last success
 * @param ejections ejections in a row without a success in between
 * @param weight the instance's weight (1 unless its metadata says otherwise)
 * @param sharePercent the node's share of the service's recent calls, in percent: calls completed, each weighing
 * {@code exp(-age / 10 s)}, against those of every listed node (0 for a node no longer listed)
 */
public record NodeState(String id, boolean listed, double load, int inflight, double latencyMillis, double success,
		boolean healthy, boolean ejected, long ejectedForMillis, boolean probation, long lastPickMillisAgo, long calls,
		long failures, int consecutiveFailures, int ejections, int weight, double sharePercent) {

}

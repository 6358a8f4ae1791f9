package io.github.rpcdiscovery.config;

/**
 * The values of {@code rpc.load-balancer} and {@code rpc.clients[i].load-balancer}, written {@code p2c},
 * {@code round-robin} or {@code random}. Configuration only names the choice: the balancer that implements it is
 * picked where the balancers are built, so this package does not depend on theirs.
 */
public enum LoadBalancerType {

	/** go-zero's power of two choices over a decaying average of latency and success (p2c_ewma). */
	P2C,

	/** Each instance in turn (Spring Cloud's default). */
	ROUND_ROBIN,

	/** A uniformly random instance. */
	RANDOM

}

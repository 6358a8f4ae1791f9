package io.github.rpcdiscovery.balancer;

/** How a call to a node ended, as far as the balancer cares. */
public enum Outcome {

	/** The node answered (any status below 500). */
	SUCCESS,

	/** The node answered with a 5xx, the call timed out, or the connection broke after it was made. */
	FAILURE,

	/**
	 * The connection could not be made (refused, unreachable, connect timeout): the node served nothing, so the
	 * balancer ejects it at once rather than waiting for its success rate to fall.
	 */
	CONNECT_FAILURE;

	public boolean isSuccess() {
		return this == SUCCESS;
	}

}

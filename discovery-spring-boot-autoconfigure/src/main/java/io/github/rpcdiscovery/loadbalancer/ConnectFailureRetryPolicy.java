package io.github.rpcdiscovery.loadbalancer;

import org.springframework.cloud.client.loadbalancer.LoadBalancedRetryContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.loadbalancer.blocking.retry.BlockingLoadBalancedRetryPolicy;

/**
 * Spring Cloud's retry policy for RestTemplate and RestClient, which retries GETs only (unless
 * {@code retry-on-all-operations}), extended to retry any method when the connection could not be made: the request
 * never left, so sending it to another instance cannot duplicate it.
 */
public class ConnectFailureRetryPolicy extends BlockingLoadBalancedRetryPolicy {

	public ConnectFailureRetryPolicy(LoadBalancerProperties properties) {
		super(properties);
	}

	@Override
	public boolean canRetry(LoadBalancedRetryContext context) {
		return super.canRetry(context) || OutcomeClassifier.isConnectFailure(context.getLastThrowable());
	}

}

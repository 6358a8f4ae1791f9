package io.github.rpcdiscovery.loadbalancer;

import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerRetryContext;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerRetryPolicy;
import org.springframework.cloud.client.loadbalancer.reactive.RetryableExchangeFilterFunctionLoadBalancerRetryPolicy;
import org.springframework.cloud.client.loadbalancer.reactive.RetryableStatusCodeException;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Spring Cloud's retry policy for WebClient, which retries an I/O error whatever the method, narrowed to what is safe:
 * a connection that could not be made is retried for any method (the request never left), any other I/O error only
 * for the methods Spring Cloud retries status codes for (GET, or all with {@code retry-on-all-operations}), so a POST
 * whose connection broke after it was sent is not sent twice. The same rule as RestTemplate and RestClient get.
 */
public final class IdempotentRetryPolicy implements LoadBalancerRetryPolicy {

	private final LoadBalancerRetryPolicy delegate;

	public IdempotentRetryPolicy(LoadBalancerProperties properties) {
		this.delegate = new RetryableExchangeFilterFunctionLoadBalancerRetryPolicy(properties);
	}

	@Override
	public boolean canRetrySameServiceInstance(LoadBalancerRetryContext context) {
		return this.delegate.canRetrySameServiceInstance(context);
	}

	@Override
	public boolean canRetryNextServiceInstance(LoadBalancerRetryContext context) {
		return this.delegate.canRetryNextServiceInstance(context);
	}

	@Override
	public boolean retryableStatusCode(int statusCode) {
		return this.delegate.retryableStatusCode(statusCode);
	}

	@Override
	public boolean retryableException(Throwable failure) {
		if (!this.delegate.retryableException(failure)) {
			return false;
		}
		if (OutcomeClassifier.isConnectFailure(failure)) {
			return true;
		}
		if (failure instanceof WebClientRequestException request) {
			return canRetryOnMethod(request.getMethod());
		}
		// Spring Cloud thrown it for a retryable status, having checked the method already
		if (failure instanceof RetryableStatusCodeException) {
			return true;
		}
		// Spring Cloud also asks about the cause of a WebClientRequestException on its own, without the method: a
		// GET was approved through the wrapping exception already, anything else is not safe to resend
		return false;
	}

	@Override
	public boolean canRetryOnMethod(HttpMethod method) {
		return this.delegate.canRetryOnMethod(method);
	}

}

package io.github.rpcdiscovery.loadbalancer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

import io.github.rpcdiscovery.balancer.Outcome;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Reads how a call ended from Spring Cloud LoadBalancer's completion event: a 5xx answer, a timeout or a broken
 * connection is a failure; a connection that could not be made is a connect failure (the node is ejected at once).
 * The HTTP clients wrap these differently (RestTemplate, RestClient and WebClient; JDK, Reactor Netty, Apache), so
 * the whole cause chain is searched.
 */
public final class OutcomeClassifier {

	private static final int MAX_CAUSES = 16;

	private OutcomeClassifier() {
	}

	public static Outcome classify(CompletionContext<?, ?, ?> context) {
		if (context.status() == CompletionContext.Status.FAILED) {
			return isConnectFailure(context.getThrowable()) ? Outcome.CONNECT_FAILURE : Outcome.FAILURE;
		}
		return (statusOf(context.getClientResponse()) >= 500) ? Outcome.FAILURE : Outcome.SUCCESS;
	}

	/** The HTTP status of the response a client reported, or 0 if it reported none. */
	static int statusOf(@Nullable Object response) {
		if (response instanceof ResponseData data) {
			return (data.getHttpStatus() != null) ? data.getHttpStatus().value() : 0;
		}
		if (response instanceof ClientHttpResponse clientResponse) {
			try {
				return clientResponse.getStatusCode().value();
			}
			catch (IOException ex) {
				return 0;
			}
		}
		if (response instanceof HttpStatusCode status) {
			return status.value();
		}
		return 0;
	}

	/** Whether a failure, or any of its causes, says the connection could not be made. */
	public static boolean isConnectFailure(@Nullable Throwable failure) {
		Throwable cause = failure;
		for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++) {
			if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
					|| cause instanceof PortUnreachableException || cause instanceof UnknownHostException
					|| cause.getClass().getSimpleName().endsWith("ConnectTimeoutException")
					|| (cause instanceof SocketTimeoutException && mentionsConnect(cause))) {
				return true;
			}
			cause = (cause.getCause() != cause) ? cause.getCause() : null;
		}
		return false;
	}

	private static boolean mentionsConnect(Throwable timeout) {
		// HttpURLConnection reports a connect timeout as SocketTimeoutException("Connect timed out")
		String message = timeout.getMessage();
		return message != null && message.toLowerCase(Locale.ROOT).contains("connect timed out");
	}

}

package io.github.rpcdiscovery.soak.app;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.web.client.HttpStatusCodeException;

/**
 * Every call of the client's load: how many, how many answered, and each failure with the instance it last tried, its
 * start (wall clock, which the harness compares with its own record of deregistrations) and its class. Failures are
 * handed to the harness once ({@link #drainFailures()}).
 */
final class CallLog {

	private final AtomicLong calls = new AtomicLong();

	private final AtomicLong succeeded = new AtomicLong();

	private final List<String> failures = new ArrayList<>();

	void success() {
		this.calls.incrementAndGet();
		this.succeeded.incrementAndGet();
	}

	void failure(long startMillis, String target, Throwable failure) {
		this.calls.incrementAndGet();
		synchronized (this.failures) {
			this.failures.add("fail " + startMillis + " " + target + " " + classify(failure));
		}
	}

	long calls() {
		return this.calls.get();
	}

	long succeeded() {
		return this.succeeded.get();
	}

	/** The failures since the last drain, one {@code fail <start ms> <host:port or -> <class>} line each. */
	List<String> drainFailures() {
		synchronized (this.failures) {
			List<String> drained = new ArrayList<>(this.failures);
			this.failures.clear();
			return drained;
		}
	}

	/** The class of a failure as the caller sees it: what went wrong on the wire, or that no instance was offered. */
	static String classify(Throwable failure) {
		if (failure instanceof HttpStatusCodeException status) {
			return "http-" + status.getStatusCode().value();
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException) {
				return "connect-refused";
			}
			if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
				return "timeout";
			}
			if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("No instances")) {
				return "no-instance";
			}
			if (cause instanceof java.io.IOException && String.valueOf(cause.getMessage()).contains("reset")) {
				return "connection-reset";
			}
		}
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		// the message names the case (one word for the report's table: no spaces)
		String message = String.valueOf(root.getMessage()).replaceAll("[^A-Za-z0-9.:/_-]+", "_");
		return "other-" + root.getClass().getSimpleName() + ":" + message.substring(0, Math.min(60, message.length()));
	}

}

package io.github.rpcdiscovery.etcd;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;

/**
 * Sorts what went wrong with a read or a watch of etcd into what to do about it, and says it in one line (no stack
 * trace: outages are expected).
 */
final class EtcdFailures {

	/** What a failure means for the caller. */
	enum Kind {

		/** etcd or the path to it is down or has no leader: keep the last known list, retry with back-off. */
		UNREACHABLE,

		/** The history we read at was compacted away: read again now, at the current revision. */
		COMPACTED,

		/** etcd answered and refused (permissions, bad request): warn, retry slowly, it will not fix itself soon. */
		REJECTED

	}

	private EtcdFailures() {
	}

	static Kind classify(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof CompactedException) {
			return Kind.COMPACTED;
		}
		if (!(cause instanceof EtcdException etcd)) {
			// timeouts, closed channels, I/O: the path to etcd
			return Kind.UNREACHABLE;
		}
		String message = String.valueOf(etcd.getMessage()).toLowerCase(Locale.ROOT);
		if (message.contains("compacted")) {
			return Kind.COMPACTED;
		}
		if (message.contains("no leader") || message.contains("leader changed") || message.contains("timed out")
				|| message.contains("timeout") || message.contains("unavailable")) {
			return Kind.UNREACHABLE;
		}
		ErrorCode code = etcd.getErrorCode();
		if (code == null) {
			return Kind.UNREACHABLE;
		}
		switch (code) {
			case UNAVAILABLE:
			case DEADLINE_EXCEEDED:
			case CANCELLED:
			case ABORTED:
			case UNKNOWN:
			case INTERNAL:
			case DATA_LOSS:
				return Kind.UNREACHABLE;
			default:
				return Kind.REJECTED;
		}
	}

	/** One line for a log: the error's class or code and its first message line. */
	static String describe(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof TimeoutException) {
			return "no answer in time";
		}
		String message = (cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("") : "";
		String kind = (cause instanceof EtcdException etcd && etcd.getErrorCode() != null)
				? etcd.getErrorCode().name() : cause.getClass().getSimpleName();
		return message.isEmpty() ? kind : kind + ": " + message;
	}

	static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}

package io.github.rpcdiscovery.etcd;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;

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

	private static final Set<String> UNREACHABLE_CODES = Set.of("UNAVAILABLE", "DEADLINE_EXCEEDED", "CANCELLED",
			"ABORTED", "UNKNOWN", "INTERNAL", "DATA_LOSS");

	private EtcdFailures() {
	}

	static Kind classify(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof CompactedException) {
			return Kind.COMPACTED;
		}
		String code = code(cause);
		if (code == null) {
			// timeouts, closed channels, I/O: the path to etcd
			return Kind.UNREACHABLE;
		}
		String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
		if (message.contains("compacted")) {
			return Kind.COMPACTED;
		}
		if (message.contains("no leader") || message.contains("leader changed") || message.contains("timed out")) {
			return Kind.UNREACHABLE;
		}
		return UNREACHABLE_CODES.contains(code) ? Kind.UNREACHABLE : Kind.REJECTED;
	}

	/** One line for a log: the error's code (or class) and its first message line. */
	static String describe(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof TimeoutException) {
			return "no answer in time";
		}
		String message = (cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("") : "";
		if (cause instanceof EtcdException || cause instanceof StatusRuntimeException
				|| cause instanceof StatusException) {
			// the message already starts with the code
			return message;
		}
		String kind = cause.getClass().getSimpleName();
		return message.isEmpty() ? kind : kind + ": " + message;
	}

	/** The gRPC status code of an etcd answer, or {@code null} if the failure is not an answer from etcd. */
	private static @Nullable String code(Throwable cause) {
		if (cause instanceof EtcdException etcd) {
			ErrorCode code = etcd.getErrorCode();
			return (code != null) ? code.name() : Status.Code.UNKNOWN.name();
		}
		if (cause instanceof StatusRuntimeException || cause instanceof StatusException) {
			return Status.fromThrowable(cause).getCode().name();
		}
		return null;
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

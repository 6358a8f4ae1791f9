package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.github.rpcdiscovery.target.EtcdCluster;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/**
 * What went wrong talking to etcd, sorted into what to do about it: etcd unreachable (retry with back-off),
 * credentials refused, permission denied, TLS refused, history compacted (read again now), or a request etcd
 * rejected. The one classifier of etcd errors, for registration and discovery alike. The description comes from
 * etcd's own answer (or, for a call that timed out, from {@link EtcdConnectionCheck}); it never contains a password,
 * and never a stack trace: outages are expected.
 *
 * @param kind the sort of failure
 * @param description what happened, in one line
 */
public record EtcdFailure(Kind kind, String description) {

	/** gRPC codes that say the path to etcd failed rather than etcd refusing the request. */
	private static final Set<Status.Code> UNREACHABLE_CODES = Set.of(Status.Code.UNAVAILABLE,
			Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, Status.Code.ABORTED, Status.Code.UNKNOWN,
			Status.Code.INTERNAL, Status.Code.DATA_LOSS);

	/** How long each connection check attempt may take when a call timed out. */
	static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

	/** The sorts of failure, each with its own fix. */
	public enum Kind {

		/** No answer, connection refused, no leader, a broken connection: keep what is known, retry with back-off. */
		UNREACHABLE,
		/** Wrong or missing user name or password, or an auth token etcd no longer accepts. */
		AUTHENTICATION,
		/** The user has no permission on the keys. */
		PERMISSION,
		/** The TLS handshake failed: wrong CA, certificate refused, TLS on one side only. */
		TLS,
		/** The history a read or a watch started at was compacted away: read again now, at the current revision. */
		COMPACTED,
		/** etcd answered with an error of another kind (a request too large, too many requests): retry slowly. */
		REJECTED

	}

	/**
	 * Classifies a failure of a call to a cluster. A timeout is explained by checking the connection (which takes up
	 * to a second per endpoint), so call this once per outage, not per attempt.
	 */
	public static EtcdFailure of(Throwable failure, EtcdCluster cluster) {
		Throwable ex = unwrap(failure);
		if (ex instanceof TimeoutException || code(ex) == Status.Code.DEADLINE_EXCEEDED) {
			// jetcd waits for a usable connection, so a refused connection or a failed handshake shows as a timeout
			String explanation = EtcdConnectionCheck.explainNoAnswer(cluster, CHECK_TIMEOUT);
			boolean tls = explanation.startsWith("TLS handshake") || explanation.contains("serves TLS");
			return new EtcdFailure(tls ? Kind.TLS : Kind.UNREACHABLE, explanation);
		}
		return classify(ex);
	}

	private static EtcdFailure classify(Throwable ex) {
		String text = messages(ex);
		String lower = text.toLowerCase(Locale.ROOT);
		Status.Code code = code(ex);
		if (ex instanceof CompactedException || (isAnswer(ex) && lower.contains("compacted"))) {
			return new EtcdFailure(Kind.COMPACTED, text);
		}
		if (lower.contains("authentication failed") || lower.contains("user name is empty")
				|| lower.contains("username can not be empty") || lower.contains("password can not be empty")
				|| lower.contains("invalid auth token") || code == Status.Code.UNAUTHENTICATED) {
			return new EtcdFailure(Kind.AUTHENTICATION, text);
		}
		if (lower.contains("permission denied") || code == Status.Code.PERMISSION_DENIED) {
			return new EtcdFailure(Kind.PERMISSION, text);
		}
		if (lower.contains("ssl") || lower.contains("certificate") || lower.contains("handshake")) {
			return new EtcdFailure(Kind.TLS, text);
		}
		if (!isAnswer(ex) || UNREACHABLE_CODES.contains(code) || lower.contains("no leader")
				|| lower.contains("leader changed") || lower.contains("timed out")) {
			// not an answer from etcd (I/O, a closed channel), or etcd could not serve it now
			return new EtcdFailure(Kind.UNREACHABLE, text);
		}
		return new EtcdFailure(Kind.REJECTED, text);
	}

	/** Whether the failure is an answer in gRPC terms (etcd's, or gRPC's about the call), not a local error. */
	private static boolean isAnswer(Throwable ex) {
		return ex instanceof EtcdException || ex instanceof StatusRuntimeException || ex instanceof StatusException;
	}

	/**
	 * The sort of failure without checking the connection: a timeout counts as {@link Kind#UNREACHABLE}. Cheap; for
	 * telling whether a failure is the same sort as the previous one.
	 */
	public static Kind quickKind(Throwable failure) {
		Throwable ex = unwrap(failure);
		return (ex instanceof TimeoutException || code(ex) == Status.Code.DEADLINE_EXCEEDED) ? Kind.UNREACHABLE
				: classify(ex).kind();
	}

	/** Whether etcd said the lease does not exist (expired, revoked, or etcd lost its data). */
	public static boolean isLeaseNotFound(Throwable failure) {
		Throwable ex = unwrap(failure);
		return code(ex) == Status.Code.NOT_FOUND || messages(ex).contains("requested lease not found");
	}

	/** The failure with the settings that can fix it, never their secret values. */
	public String fix(EtcdCluster cluster) {
		return switch (this.kind) {
			case UNREACHABLE -> "check that etcd runs and that rpc.etcd.hosts " + cluster.hosts() + " names it";
			case AUTHENTICATION -> "check rpc.etcd.user" + (cluster.hasCredentials() ? " ('" + cluster.user() + "')" : "")
					+ " and rpc.etcd.pass against etcd's users (etcdctl user list); with auth enabled in etcd both"
					+ " are needed";
			case PERMISSION -> "grant user '" + cluster.user() + "' a role with readwrite permission on the keys it"
					+ " writes (etcdctl role grant-permission <role> --prefix=true readwrite <key>/)";
			case TLS -> "check rpc.etcd.ca-cert-file, cert-file, cert-key-file (PKCS#8) and insecure-skip-verify against"
					+ " etcd's --cert-file, --trusted-ca-file and --client-cert-auth";
			case COMPACTED -> "nothing: the client reads again at the current revision";
			case REJECTED -> "see etcd's log for the request it rejected";
		};
	}

	/**
	 * The failure in one line, for a log: etcd's code and first message line, or {@code no answer in time}. Cheap:
	 * does not check the connection.
	 */
	static String oneLine(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof TimeoutException) {
			return "no answer in time";
		}
		String message = (cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("") : "";
		if (isAnswer(cause)) {
			// the message already starts with the code
			return message;
		}
		String kind = cause.getClass().getSimpleName();
		return message.isEmpty() ? kind : kind + ": " + message;
	}

	static Throwable unwrap(Throwable failure) {
		Throwable ex = failure;
		while ((ex instanceof CompletionException || ex instanceof ExecutionException) && ex.getCause() != null) {
			ex = ex.getCause();
		}
		return ex;
	}

	private static Status.Code code(Throwable ex) {
		if (ex instanceof EtcdException etcd) {
			try {
				return Status.Code.valueOf(etcd.getErrorCode().name());
			}
			catch (IllegalArgumentException unknown) {
				return Status.Code.UNKNOWN;
			}
		}
		return Status.fromThrowable(ex).getCode();
	}

	/** The messages of the cause chain, innermost last, de-duplicated: etcd's reason is often the innermost. */
	private static String messages(Throwable ex) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			String message = messageOf(cause);
			if (message != null && !text.toString().contains(message)) {
				text.append((text.length() > 0) ? ": " : "").append(message);
			}
		}
		return (text.length() > 0) ? text.toString() : ex.getClass().getSimpleName();
	}

	private static String messageOf(Throwable cause) {
		if (cause instanceof StatusRuntimeException status) {
			String description = status.getStatus().getDescription();
			return (description != null) ? description : status.getStatus().getCode().name();
		}
		return cause.getMessage();
	}

}

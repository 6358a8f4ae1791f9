package io.github.rpcdiscovery.kubernetes;

import java.util.List;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jspecify.annotations.Nullable;

/**
 * What an informer's failure means: access refused (HTTP 401 or 403, which RBAC or a new token can fix), or the API
 * server not reachable; and the words that say so in the log and on the health endpoint.
 */
final class InformerFailure {

	private InformerFailure() {
	}

	/** @return the HTTP status of the API server's answer within the failure, 0 when there was none */
	static int httpStatus(Throwable failure) {
		KubernetesClientException api = clientException(failure);
		return (api != null) ? api.getCode() : 0;
	}

	static boolean isAccessRefused(int httpStatus) {
		return httpStatus == 401 || httpStatus == 403;
	}

	/**
	 * The refusal, with the rule to grant and the user refused.
	 * @param failure a failure whose {@link #httpStatus} is 401 or 403
	 */
	static KubernetesAccessDeniedException accessDenied(Throwable failure, KubernetesRbac.Rule rule, String namespace,
			String service, List<String> serviceIds, Config configuration) {
		KubernetesClientException api = clientException(failure);
		String message = (api.getStatus() != null && api.getStatus().getMessage() != null)
				? api.getStatus().getMessage() : "HTTP " + api.getCode();
		String user = KubernetesAccessDeniedException.userIn(message);
		if (user == null) {
			user = ServiceAccountToken.subject(configuration);
		}
		return new KubernetesAccessDeniedException(api.getCode(), namespace, service, serviceIds, rule, user, message);
	}

	/** The root cause in a few words, without a stack trace. */
	static String describe(Throwable failure, int httpStatus) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
		if (httpStatus == 404) {
			text += "; discovery.k8s.io/v1 EndpointSlices need Kubernetes 1.21 or later";
		}
		return text;
	}

	private static @Nullable KubernetesClientException clientException(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof KubernetesClientException api && api.getCode() > 0) {
				return api;
			}
		}
		return null;
	}

}

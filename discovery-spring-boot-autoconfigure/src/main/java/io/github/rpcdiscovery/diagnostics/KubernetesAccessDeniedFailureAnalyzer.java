package io.github.rpcdiscovery.diagnostics;

import io.github.rpcdiscovery.kubernetes.KubernetesAccessDeniedException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a 403 (or 401) from the Kubernetes API server at startup into a report naming the namespace, the service
 * account, the exact RBAC rule needed and the commands that grant it.
 */
class KubernetesAccessDeniedFailureAnalyzer extends AbstractFailureAnalyzer<KubernetesAccessDeniedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KubernetesAccessDeniedException cause) {
		StringBuilder description = new StringBuilder(cause.description());
		for (Throwable other : cause.getSuppressed()) {
			if (other instanceof KubernetesAccessDeniedException denied) {
				description.append("\nAlso denied, the same way: ")
					.append(denied.getNamespace())
					.append('/')
					.append(denied.getService());
			}
		}
		return new FailureAnalysis(description.toString(), cause.action(), cause);
	}

}

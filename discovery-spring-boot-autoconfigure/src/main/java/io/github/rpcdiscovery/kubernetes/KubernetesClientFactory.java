package io.github.rpcdiscovery.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Where the API server is and how to authenticate: fabric8's own discovery (in a pod, the mounted service account:
 * token, CA and namespace; elsewhere the current context of {@code KUBECONFIG} or {@code ~/.kube/config}, and the
 * {@code KUBERNETES_*} system properties and environment variables), unless {@code rpc.kubernetes.master-url} is set.
 * <p>
 * An explicit master URL uses only what is given with it (token, CA file): credentials found elsewhere, say a
 * kubeconfig for another cluster, are never sent to it.
 */
public final class KubernetesClientFactory {

	private KubernetesClientFactory() {
	}

	public static KubernetesClient create(KubernetesProperties properties) {
		return new KubernetesClientBuilder().withConfig(config(properties)).build();
	}

	static Config config(KubernetesProperties properties) {
		Config config = (properties.masterUrl() != null) ? explicit(properties) : Config.autoConfigure(null);
		if (System.getProperty(Config.KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT_SYSTEM_PROPERTY) == null
				&& System.getenv("KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT") == null) {
			// informers retry by themselves; fabric8's ten request retries only delayed the news of an unreachable
			// API server by about 20 s
			config.setRequestRetryBackoffLimit(0);
		}
		return config;
	}

	private static Config explicit(KubernetesProperties properties) {
		Config config = Config.empty();
		config.setMasterUrl(properties.masterUrl());
		if (properties.token() != null && !properties.token().isEmpty()) {
			config.setOauthToken(properties.token());
		}
		if (properties.caCertFile() != null && !properties.caCertFile().isEmpty()) {
			config.setCaCertFile(properties.caCertFile());
		}
		config.setTrustCerts(properties.trustCerts());
		return config;
	}

}

package io.github.rpcdiscovery.diagnostics;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns TLS files that cannot be loaded (missing, not PEM, a key that is not PKCS#8) into a report naming the files
 * and the fix. Matches the exception by name, so applications without jetcd never load etcd classes here.
 */
class EtcdTlsFailureAnalyzer implements FailureAnalyzer {

	static final String EXCEPTION = "io.github.rpcdiscovery.etcd.EtcdConnections$EtcdTlsConfigurationException";

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause.getClass().getName().equals(EXCEPTION)) {
				return new FailureAnalysis("The etcd TLS settings cannot be used:%n%n    %s%n".formatted(cause.getMessage()),
						"Point rpc.etcd.ca-cert-file, rpc.etcd.cert-file and rpc.etcd.cert-key-file at readable PEM files;"
								+ " the private key must be PKCS#8 (BEGIN PRIVATE KEY), convert it with: openssl pkcs8"
								+ " -topk8 -nocrypt -in key.pem -out key-pkcs8.pem",
						cause);
			}
		}
		return null;
	}

}

package io.github.rpcdiscovery.autoconfigure;

import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Masks the secrets this starter binds in the actuator's {@code env} and {@code configprops} output, even where values
 * are shown: the etcd password ({@code rpc.etcd.pass}, {@code rpc.clients[i].etcd.pass}, go-zero's {@code Etcd.Pass}),
 * the go-zero channel tokens ({@code rpc.grpc.channels.<name>.token}) and the Kubernetes bearer token
 * ({@code rpc.kubernetes.token}). go-zero names the password {@code Pass}, which no Spring Boot default catches, and a
 * secret usually arrives as an environment variable ({@code RPC_ETCD_PASS}), so every relaxed form of a key is
 * reduced to one canonical form before it is judged. TLS material is bound only as file paths, which stay visible.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
final class RpcCredentialsSanitizingAutoConfiguration {

	private static final Set<String> SECRET_NAMES = Set.of("pass", "password", "token");

	@Bean
	@ConditionalOnMissingBean(name = "rpcCredentialsSanitizer")
	SanitizingFunction rpcCredentialsSanitizer() {
		return (data) -> isSecret(data.getKey()) ? data.withSanitizedValue() : data;
	}

	/**
	 * Whether a key, in any relaxed form (dotted, indexed, capitalised, dashed, or an environment variable), names one
	 * of this starter's secrets. {@code configprops} hands over the bare property name ({@code pass}), {@code env} the
	 * key as its property source spells it.
	 */
	static boolean isSecret(String key) {
		String canonical = canonical(key);
		if (SECRET_NAMES.contains(canonical)) {
			return true;
		}
		int lastDot = canonical.lastIndexOf('.');
		if (lastDot < 0 || !SECRET_NAMES.contains(canonical.substring(lastDot + 1))) {
			return false;
		}
		// go-zero's server YAML puts its Etcd block at the top level, next to ListenOn
		return canonical.startsWith("rpc.") || canonical.equals("etcd.pass");
	}

	/** {@code RPC_CLIENTS_0_ETCD_PASS}, {@code rpc.clients[0].Etcd.Pass} and the like all become {@code rpc.clients.0.etcd.pass}. */
	private static String canonical(String key) {
		String dotted = key.toLowerCase(Locale.ROOT)
			.replace('_', '.')
			.replace('[', '.')
			.replace("]", "")
			.replace("-", "");
		return dotted.replaceAll("\\.{2,}", ".");
	}

}

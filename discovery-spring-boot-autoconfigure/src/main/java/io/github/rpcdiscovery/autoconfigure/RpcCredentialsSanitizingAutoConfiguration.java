package io.github.rpcdiscovery.autoconfigure;

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Masks the etcd password ({@code rpc.etcd.pass}, {@code rpc.clients[i].etcd.pass}, go-zero's {@code Rpc.Etcd.Pass})
 * in the actuator's {@code env} and {@code configprops} output, even where values are shown: go-zero names it
 * {@code Pass}, which Spring Boot's own credential patterns do not catch.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
final class RpcCredentialsSanitizingAutoConfiguration {

	@Bean
	SanitizingFunction rpcEtcdPasswordSanitizer() {
		return (data) -> isEtcdPassword(data.getKey()) ? data.withSanitizedValue() : data;
	}

	static boolean isEtcdPassword(String key) {
		String lower = key.toLowerCase(Locale.ROOT);
		return lower.equals("pass") || (lower.startsWith("rpc.") && lower.endsWith(".pass"));
	}

}

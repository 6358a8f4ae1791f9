package io.github.rpcdiscovery.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.github.rpcdiscovery.config.RpcProperties;
import io.github.rpcdiscovery.grpc.GrpcProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every secret the starter binds is masked by the real {@code env} and {@code configprops} endpoints with
 * {@code show-values=always}, in every form a user can give it: YAML keys, go-zero's capitalised keys, list indexes
 * and environment variables (the usual way to pass a secret). Environment variables are supplied through Spring's own
 * {@link SystemEnvironmentPropertySource}, the class that carries them in a real application.
 */
class SecretsMaskedInActuatorTests {

	private static final String SECRET = "s3cr3t-value";

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
				EnvironmentEndpointAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class,
				RpcCredentialsSanitizingAutoConfiguration.class))
		.withUserConfiguration(BindsRpcProperties.class)
		.withPropertyValues("management.endpoints.web.exposure.include=env,configprops",
				"management.endpoint.env.show-values=always",
				"management.endpoint.configprops.show-values=always");

	@ParameterizedTest
	@ValueSource(strings = { "RPC_ETCD_PASS", "RPC_CLIENTS_0_ETCD_PASS", "RPC_GRPC_CHANNELS_ORDERS_TOKEN",
			"RPC_KUBERNETES_TOKEN", "rpc_etcd_pass" })
	void anEnvironmentVariableSecretIsMaskedInTheEnvEndpoint(String variable) {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of(variable, SECRET))))
			.run((context) -> assertThat(shownValues(context.getBean(EnvironmentEndpoint.class)))
				.containsKey(variable)
				.doesNotContainValue(SECRET));
	}

	@ParameterizedTest
	@ValueSource(strings = { "rpc.etcd.pass", "Rpc.Etcd.Pass", "rpc.clients[0].etcd.pass", "rpc.clients[0].Etcd.Pass",
			"rpc.grpc.channels.orders.token", "rpc.kubernetes.token", "Etcd.Pass" })
	void aPropertySecretIsMaskedInTheEnvEndpoint(String key) {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("application.yaml", Map.of(key, SECRET))))
			.run((context) -> assertThat(shownValues(context.getBean(EnvironmentEndpoint.class))).containsKey(key)
				.doesNotContainValue(SECRET));
	}

	@Test
	void boundSecretsAreMaskedInTheConfigpropsEndpoint() {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("RPC_ETCD_HOSTS", "127.0.0.1:2379", "RPC_ETCD_PASS", SECRET, "RPC_ETCD_USER", "app",
							"RPC_GRPC_CHANNELS_ORDERS_TOKEN", SECRET, "RPC_GRPC_CHANNELS_ORDERS_APP", "shop"))))
			.run((context) -> {
				String report = Objects.toString(context.getBean(ConfigurationPropertiesReportEndpoint.class)
					.configurationProperties()
					.getContexts()
					.values()
					.stream()
					.flatMap((beans) -> beans.getBeans().values().stream())
					.map((bean) -> String.valueOf(bean.getProperties()))
					.toList());
				assertThat(report).contains("127.0.0.1:2379").contains("app").contains("shop").doesNotContain(SECRET);
				assertThat(report).contains(SanitizableData.SANITIZED_VALUE);
			});
	}

	@Test
	void nonSecretsStayVisible() {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("RPC_ETCD_USER", "app", "RPC_ETCD_HOSTS", "127.0.0.1:2379", "PASSENGER", "x",
							"OTHER_TOKEN_COUNT", "3"))))
			.run((context) -> assertThat(shownValues(context.getBean(EnvironmentEndpoint.class)))
				.containsEntry("RPC_ETCD_USER", "app")
				.containsEntry("RPC_ETCD_HOSTS", "127.0.0.1:2379")
				.containsEntry("PASSENGER", "x")
				.containsEntry("OTHER_TOKEN_COUNT", "3"));
	}

	private static Map<String, Object> shownValues(EnvironmentEndpoint endpoint) {
		Map<String, Object> values = new LinkedHashMap<>();
		List<EnvironmentEndpoint.PropertySourceDescriptor> sources = endpoint.environment(null).getPropertySources();
		for (EnvironmentEndpoint.PropertySourceDescriptor source : sources) {
			source.getProperties().forEach((key, value) -> values.putIfAbsent(key, value.getValue()));
		}
		return values;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ RpcProperties.class, GrpcProperties.class })
	static class BindsRpcProperties {

	}

}

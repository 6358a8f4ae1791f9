package io.github.rpcdiscovery.config;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata an IDE reads (generated from the properties' javadoc, merged with
 * additional-spring-configuration-metadata.json) describes every rpc.* key, the keys of a client block included.
 */
class ConfigurationMetadataTest {

	private final Map<String, Map<String, Object>> properties = rpcProperties();

	@Test
	void everyRpcKeyHasADescription() {
		assertThat(this.properties).isNotEmpty();
		this.properties.forEach((name, property) -> assertThat((String) property.get("description")).as(name)
			.isNotBlank());
	}

	@Test
	void everyKeyOfAClientBlockIsListedOneByOne() {
		List<String> expected = Stream
			.of(keys(ClientProperties.class).stream().filter((key) -> !key.equals("etcd") && !key.equals("canary")),
					keys(EtcdProperties.class).stream().map((key) -> "etcd." + key),
					keys(CanaryProperties.class).stream().map((key) -> "canary." + key))
			.flatMap((keys) -> keys)
			.map((key) -> "rpc.clients[0]." + key)
			.toList();
		assertThat(this.properties.keySet()).containsAll(expected);
	}

	@Test
	void theBalancerAndEtcdDiscoveryKeysAreListed() {
		keys(BalancerProperties.class)
			.forEach((key) -> assertThat(this.properties).containsKey("rpc.balancer." + key));
		keys(EtcdDiscoveryProperties.class)
			.forEach((key) -> assertThat(this.properties).containsKey("rpc.etcd.discovery." + key));
	}

	/** A record's keys as written in configuration: its components in kebab case. */
	private static List<String> keys(Class<? extends Record> type) {
		return Stream.of(type.getRecordComponents())
			.map(RecordComponent::getName)
			.map((name) -> name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase())
			.toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> rpcProperties() {
		try (InputStream in = ConfigurationMetadataTest.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("the generated metadata").isNotNull();
			Map<String, Object> metadata = JsonParserFactory.getJsonParser()
				.parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
			for (Object entry : (List<Object>) metadata.get("properties")) {
				Map<String, Object> property = (Map<String, Object>) entry;
				String name = (String) property.get("name");
				if (name.startsWith("rpc.")) {
					byName.put(name, property);
				}
			}
			return byName;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

package io.github.rpcdiscovery.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;

/**
 * Discovery is on: Spring Cloud's {@code spring.cloud.discovery.enabled} and this starter's
 * {@code rpc.discovery.enabled} are both true or unset.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(name = "rpc.discovery.enabled", matchIfMissing = true)
public @interface ConditionalOnRpcDiscoveryEnabled {

}

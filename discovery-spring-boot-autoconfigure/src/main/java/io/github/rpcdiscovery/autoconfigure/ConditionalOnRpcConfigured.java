package io.github.rpcdiscovery.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * The application configures this starter ({@link OnRpcConfiguredCondition}). On every auto-configuration of the
 * starter, and checked before its other conditions (the first condition that fails ends the check): an application
 * that does not configure the starter loads none of the classes the other conditions name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnRpcConfiguredCondition.class)
public @interface ConditionalOnRpcConfigured {

}

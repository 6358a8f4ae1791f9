package io.github.rpcdiscovery.shutdown;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this application leaves: deregister first, drain, then let the servers shut down gracefully.
 *
 * @param drain How long the servers keep accepting after this instance was deregistered, so that clients drop it
 * before it stops (go-zero: Shutdown.WrapUpTime, 1s). 0 turns the wait off.
 */
@ConfigurationProperties("rpc.shutdown")
public record ShutdownProperties(@DefaultValue("1s") Duration drain) {

}

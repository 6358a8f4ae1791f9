package io.github.rpcdiscovery.cloud;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.context.ApplicationListener;

/**
 * Spring Cloud's discovery health indicators report UNKNOWN until they see an {@link InstanceRegisteredEvent}. A
 * discovery-only application (static endpoints, Kubernetes, a consumer) never registers anything, so this publishes
 * the event once the application has started: discovery is initialised as soon as the catalog exists.
 */
public final class DiscoveryInitializedPublisher implements ApplicationListener<ApplicationStartedEvent> {

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		event.getApplicationContext().publishEvent(new InstanceRegisteredEvent<>(this, "rpc-discovery"));
	}

	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

}

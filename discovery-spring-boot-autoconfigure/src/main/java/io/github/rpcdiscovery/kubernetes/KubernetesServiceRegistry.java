package io.github.rpcdiscovery.kubernetes;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ApplicationListener;

/**
 * In Kubernetes mode without etcd, Kubernetes itself registers every ready pod in its Service's EndpointSlices (which
 * is what discovery reads), and removes it when it stops being ready or terminates. So this registry registers nothing,
 * and says so once.
 */
public final class KubernetesServiceRegistry implements ServiceRegistry<Registration>,
		ApplicationListener<ApplicationStartedEvent> {

	private static final Log logger = LogFactory.getLog(KubernetesServiceRegistry.class);

	/** What {@link #getStatus} answers: the status of a pod is Kubernetes' business. */
	public static final String STATUS = "managed by Kubernetes (EndpointSlices)";

	private final AtomicBoolean said = new AtomicBoolean();

	@Override
	public void register(Registration registration) {
		sayOnce();
	}

	@Override
	public void deregister(Registration registration) {
	}

	@Override
	public void close() {
	}

	@Override
	public void setStatus(Registration registration, String status) {
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getStatus(Registration registration) {
		return (T) STATUS;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		sayOnce();
	}

	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

	private void sayOnce() {
		if (this.said.compareAndSet(false, true)) {
			logger.info("Kubernetes registers this pod in its Service's EndpointSlices once it is ready;"
					+ " rpc-discovery registers nothing (set rpc.etcd.hosts to register in etcd as well)");
		}
	}

}

package io.github.rpcdiscovery.shutdown;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The shutdown order that loses no request: deregister (on {@code ContextClosedEvent}, before any lifecycle stops) →
 * drain (this, in the phase just before the servers' graceful shutdown, while they still accept) → graceful shutdown
 * (the servers stop accepting and finish what is in flight). Spring Cloud's registries deregister only after the web
 * server has stopped; go-zero revokes, waits its WrapUpTime, then stops.
 */
public final class DrainBeforeServerShutdown implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DrainBeforeServerShutdown.class);

	private final DrainCoordinator coordinator;

	private final int phase;

	private volatile boolean running;

	/**
	 * @param coordinator the drain to wait for
	 * @param phase the lifecycle phase: one above the servers' graceful shutdown, so this stops first
	 */
	public DrainBeforeServerShutdown(DrainCoordinator coordinator, int phase) {
		this.coordinator = coordinator;
		this.phase = phase;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		Duration waited = this.coordinator.awaitDrained();
		if (this.coordinator.isDraining() && this.coordinator.claimReport()) {
			logger.info("Drained for " + waited.toMillis() + " ms after deregistration (rpc.shutdown.drain="
					+ this.coordinator.drain().toMillis() + "ms); the servers stop accepting now");
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}

package io.github.rpcdiscovery.etcd.registration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;

/**
 * The lifecycle every registration of this application follows: register when the application is ready, withdraw
 * when its context starts to close. Only this application's own context counts: child contexts (the load-balancer
 * clients', for one) publish their events to it too.
 */
public abstract class ApplicationLifecycleRegistration
		implements SmartApplicationListener, ApplicationContextAware, Ordered {

	private @Nullable ApplicationContext context;

	@Override
	public final void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	/** The application's context, once set. */
	protected final @Nullable ApplicationContext context() {
		return this.context;
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ApplicationReadyEvent.class.isAssignableFrom(eventType)
				|| ContextClosedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationReadyEvent ready) {
			if (ready.getApplicationContext() == this.context) {
				onReady();
			}
		}
		else if (event instanceof ContextClosedEvent closed) {
			if (closed.getApplicationContext() == this.context) {
				onClosing();
			}
		}
		else {
			onOtherEvent(event);
		}
	}

	/** The application is ready to serve. */
	protected abstract void onReady();

	/** The application's context started to close: lifecycle beans (the servers) have not stopped yet. */
	protected abstract void onClosing();

	/** Another event a subclass declared in {@link #supportsEventType}. */
	protected void onOtherEvent(ApplicationEvent event) {
	}

	/** Early among the listeners, so the key is gone before anything else reacts to the shutdown. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

}

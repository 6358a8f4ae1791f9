package io.github.rpcdiscovery.core;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The first-load future of each watch, one per service id. Sources complete theirs on their callback threads (jetcd's,
 * an etcd cluster's executor, fabric8's informer), some holding a lock; what callers attach to a first load (the
 * LoadBalancer supplier, the gRPC name resolver, the startup checks) must run on neither. So the futures handed out
 * here are completed on a few threads of discovery's own, and a watch is started outside the map's lock (a source may
 * publish at once, and a catalog listener may look up another service).
 */
final class FirstLoads implements AutoCloseable {

	/** The threads that complete first loads: bounded, and gone when no first load is pending for a while. */
	static final int THREADS = 2;

	private final Map<String, CompletableFuture<Void>> futures = new ConcurrentHashMap<>();

	private final ThreadPoolExecutor executor;

	FirstLoads() {
		AtomicInteger count = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "rpc-discovery-first-load-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.executor.allowCoreThreadTimeOut(true);
	}

	/**
	 * The executor first loads complete on, for the stages discovery adds to them (timeouts, unlisted ids). Once
	 * closed it runs tasks on the caller, so that a lookup racing with shutdown still gets its answer.
	 */
	Executor executor() {
		return this::execute;
	}

	/**
	 * The first load of a service's watch, starting the watch the first time.
	 * @param start starts the watch; its future completes on the source's thread
	 */
	CompletableFuture<Void> of(String serviceId, Supplier<CompletableFuture<Void>> start) {
		CompletableFuture<Void> existing = this.futures.get(serviceId);
		if (existing != null) {
			return existing;
		}
		CompletableFuture<Void> firstLoad = new CompletableFuture<>();
		existing = this.futures.putIfAbsent(serviceId, firstLoad);
		if (existing != null) {
			return existing;
		}
		start.get().whenComplete((ignored, failure) -> relay(firstLoad, failure));
		return firstLoad;
	}

	/** Forgets a service's watch (it was closed); its next lookup starts a new one. */
	void remove(String serviceId) {
		this.futures.remove(serviceId);
	}

	private void relay(CompletableFuture<Void> firstLoad, @Nullable Throwable failure) {
		execute(() -> {
			if (failure == null) {
				firstLoad.complete(null);
			}
			else {
				firstLoad.completeExceptionally(failure);
			}
		});
	}

	private void execute(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// discovery is closed: there is no registry work left to stall
			task.run();
		}
	}

	@Override
	public void close() {
		this.executor.shutdown();
	}

}

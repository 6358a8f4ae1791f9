package io.github.rpcdiscovery.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

	private final Map<String, Load> loads = new ConcurrentHashMap<>();

	private final Executor executor;

	/** Ours, shut down on close; {@code null} if the executor was given. */
	private final @Nullable ThreadPoolExecutor owned;

	FirstLoads() {
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor threads = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (runnable) -> {
					Thread thread = new Thread(runnable, "rpc-discovery-first-load-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		threads.allowCoreThreadTimeOut(true);
		this.executor = threads;
		this.owned = threads;
	}

	/** First loads complete on the given executor, which stays open when this closes. */
	FirstLoads(Executor executor) {
		this.executor = executor;
		this.owned = null;
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
	Load of(String serviceId, Supplier<CompletableFuture<Void>> start) {
		Load existing = this.loads.get(serviceId);
		if (existing != null) {
			return existing;
		}
		Load load = new Load(new CompletableFuture<>(), new CompletableFuture<>());
		existing = this.loads.putIfAbsent(serviceId, load);
		if (existing != null) {
			return existing;
		}
		CompletableFuture<Void> started = start.get();
		// a source that answers at once (direct endpoints) answers on the caller's thread, which is no source's: no
		// relay, so that an application with static endpoints starts no thread of ours
		boolean answeredAtOnce = started.isDone();
		started.whenComplete((ignored, failure) -> {
			complete(load.reached(), failure);
			if (answeredAtOnce) {
				complete(load.relayed(), failure);
			}
			else {
				execute(() -> complete(load.relayed(), failure));
			}
		});
		return load;
	}

	/** Forgets a service's watch (it was closed); its next lookup starts a new one. */
	void remove(String serviceId) {
		this.loads.remove(serviceId);
	}

	private static void complete(CompletableFuture<Void> firstLoad, @Nullable Throwable failure) {
		if (failure == null) {
			firstLoad.complete(null);
		}
		else {
			firstLoad.completeExceptionally(failure);
		}
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
		if (this.owned != null) {
			this.owned.shutdown();
		}
	}

	/**
	 * One first load, twice.
	 * @param reached completes on the source's thread; only for a caller that blocks until it (nothing may be
	 * attached to it), so that a caller on one of discovery's own threads does not wait for a relay queued behind
	 * itself
	 * @param relayed completes on discovery's threads: for callers that attach stages
	 */
	record Load(CompletableFuture<Void> reached, CompletableFuture<Void> relayed) {

		/** Blocks until the first load or the timeout; a failed first load is no error for the caller. */
		void await(Duration timeout) {
			try {
				this.reached.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// the source logs its own failures and keeps retrying; the caller gets what the catalog has
			}
		}

	}

}

package io.github.rpcdiscovery.kubernetes;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.rpcdiscovery.target.KubernetesTarget;

/**
 * Asks the API server whether a Service has an EndpointSlice (one list of at most one slice, with the permission the
 * watch needs anyway), off the caller's thread, on a few threads of its own: however many ids an application looks
 * up at once, the probes queue rather than start a thread each. A probe still queued when this closes is answered
 * {@code false}.
 */
final class SliceProbes implements AutoCloseable {

	/** Probes running at once; the rest queue. */
	private static final int THREADS = 2;

	private final KubernetesClient client;

	private final ThreadPoolExecutor executor;

	SliceProbes(KubernetesClient client) {
		this.client = client;
		AtomicInteger count = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "rpc-kubernetes-probe-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		// an application that looks nothing up for a while keeps no thread for it
		this.executor.allowCoreThreadTimeOut(true);
	}

	/** Whether the Service has an EndpointSlice; completes on a probe thread. */
	CompletableFuture<Boolean> holds(KubernetesTarget target) {
		Probe probe = new Probe(target);
		try {
			this.executor.execute(probe);
		}
		catch (RejectedExecutionException ex) {
			// closed meanwhile
			probe.held.complete(false);
		}
		return probe.held;
	}

	private boolean hasSlice(KubernetesTarget target) {
		try {
			return !this.client.discovery()
				.v1()
				.endpointSlices()
				.inNamespace(target.namespace())
				.withLabel(ServiceInformers.SERVICE_NAME_LABEL, target.service())
				.list(new ListOptionsBuilder().withLimit(1L).build())
				.getItems()
				.isEmpty();
		}
		catch (KubernetesClientException ex) {
			// refused (401/403): resolve here, so the watch reports the missing permission once, with the fix
			if (ex.getCode() == 401 || ex.getCode() == 403) {
				return true;
			}
			throw ex;
		}
	}

	@Override
	public void close() {
		for (Runnable queued : this.executor.shutdownNow()) {
			((Probe) queued).held.complete(false);
		}
	}

	/** One probe, queued or running. */
	private final class Probe implements Runnable {

		private final KubernetesTarget target;

		private final CompletableFuture<Boolean> held = new CompletableFuture<>();

		private Probe(KubernetesTarget target) {
			this.target = target;
		}

		@Override
		public void run() {
			try {
				this.held.complete(hasSlice(this.target));
			}
			catch (RuntimeException ex) {
				this.held.completeExceptionally(ex);
			}
		}

	}

}

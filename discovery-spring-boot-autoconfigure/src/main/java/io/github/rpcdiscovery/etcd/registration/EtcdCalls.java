package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for jetcd futures with a deadline: jetcd calls have none of their own and wait for a connection for ever.
 * Only ever called on the registration's own thread, never on a jetcd callback thread.
 */
final class EtcdCalls {

	private EtcdCalls() {
	}

	/**
	 * The future's value.
	 * @throws TimeoutException if it did not complete in time (the call is abandoned, not cancelled in etcd)
	 * @throws Exception the call's own failure, unwrapped
	 */
	static <T> T await(CompletableFuture<T> call, Duration timeout) throws Exception {
		try {
			return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			call.cancel(false);
			throw ex;
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw (cause instanceof Exception exception) ? exception : new IllegalStateException(cause);
		}
	}

}

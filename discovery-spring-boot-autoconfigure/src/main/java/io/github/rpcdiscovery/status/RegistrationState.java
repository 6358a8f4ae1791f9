package io.github.rpcdiscovery.status;

/** Where one registration of this application stands. */
public enum RegistrationState {

	/** The first attempt has not succeeded yet (etcd unreachable, refused): retried in the background. */
	REGISTERING,

	/** Written on a live lease, kept alive. */
	UP,

	/** Taken out of service on purpose (status OUT_OF_SERVICE): no key, the application runs on. */
	OUT_OF_SERVICE,

	/** It was registered and is not now (the lease was lost and cannot be replaced yet): retried in the background. */
	LOST,

	/** Withdrawn at shutdown: the keys were removed, requests in flight are drained. */
	DRAINING

}

package io.github.rpcdiscovery.status;

/** How a registry connection (an etcd cluster, a watched Kubernetes Service) is doing. */
public enum ConnectionState {

	/** Started, nothing listed yet. */
	CONNECTING,

	/** Listed and watching: the view is current. */
	CONNECTED,

	/** The registry does not answer: the last known instances are served, frozen, and it is retried. */
	UNREACHABLE,

	/** The registry answers but refuses (credentials, permissions, RBAC): the last known instances are served. */
	DENIED

}

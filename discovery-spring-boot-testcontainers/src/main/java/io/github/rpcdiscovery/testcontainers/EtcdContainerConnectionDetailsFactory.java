package io.github.rpcdiscovery.testcontainers;

import java.util.List;

import io.github.rpcdiscovery.autoconfigure.EtcdConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.Container;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@link EtcdConnectionDetails} of a {@code @ServiceConnection} container: an {@link EtcdContainer} whatever its
 * image (with its account and TLS), or any container of the etcd images ({@code quay.io/coreos/etcd},
 * {@code gcr.io/etcd-development/etcd}, or {@code @ServiceConnection(name = "etcd")}), reached on its published port
 * 2379.
 */
class EtcdContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<Container<?>, EtcdConnectionDetails> {

	EtcdContainerConnectionDetailsFactory() {
		super(List.of("coreos/etcd", "etcd-development/etcd", "etcd"));
	}

	@Override
	protected boolean sourceAccepts(ContainerConnectionSource<Container<?>> source, Class<?> requiredContainerType,
			Class<?> requiredConnectionDetailsType) {
		return super.sourceAccepts(source, requiredContainerType, requiredConnectionDetailsType) || source
			.accepts(ContainerConnectionDetailsFactory.ANY_CONNECTION_NAME, EtcdContainer.class,
					requiredConnectionDetailsType);
	}

	@Override
	protected EtcdConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
		return new EtcdContainerConnectionDetails(source);
	}

	/** Read from the container once it runs. */
	private static final class EtcdContainerConnectionDetails extends ContainerConnectionDetails<Container<?>>
			implements EtcdConnectionDetails {

		private EtcdContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
			super(source);
		}

		@Override
		public List<String> getHosts() {
			Container<?> container = getContainer();
			return List.of(container.getHost() + ":" + container.getMappedPort(EtcdContainer.CLIENT_PORT));
		}

		@Override
		public @Nullable String getUser() {
			return (getContainer() instanceof EtcdContainer etcd) ? etcd.getUser() : null;
		}

		@Override
		public @Nullable String getPassword() {
			return (getContainer() instanceof EtcdContainer etcd) ? etcd.getPassword() : null;
		}

		@Override
		public @Nullable Tls getTls() {
			return (getContainer() instanceof EtcdContainer etcd) ? etcd.getTls() : null;
		}

	}

}

package org.springframework.boot.testcontainers.service.connection;

import org.testcontainers.containers.Container;

import org.springframework.boot.origin.Origin;

/**
 * Test access to Spring Boot's {@link ContainerConnectionSource}, whose constructor is package-private: what Spring
 * Boot builds for a {@code @ServiceConnection} field and hands to every container connection details factory.
 */
public final class ContainerConnectionSources {

	private ContainerConnectionSources() {
	}

	public static <C extends Container<?>> ContainerConnectionSource<C> of(Class<C> containerType, String imageName,
			ServiceConnection annotation, C container) {
		return new ContainerConnectionSource<>("test", new Origin() {
		}, containerType, imageName, annotation, () -> container, null, null);
	}

}

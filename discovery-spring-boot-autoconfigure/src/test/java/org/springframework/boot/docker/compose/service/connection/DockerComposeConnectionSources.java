package org.springframework.boot.docker.compose.service.connection;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.mock.env.MockEnvironment;

/**
 * Test access to Spring Boot's {@link DockerComposeConnectionSource}, whose constructor is package-private: the source
 * Spring Boot hands to every Docker Compose connection details factory, around a {@link RunningService} the test
 * describes (no Docker engine needed).
 */
public final class DockerComposeConnectionSources {

	private DockerComposeConnectionSources() {
	}

	public static DockerComposeConnectionSource of(RunningService service) {
		return new DockerComposeConnectionSource(service, new MockEnvironment());
	}

}

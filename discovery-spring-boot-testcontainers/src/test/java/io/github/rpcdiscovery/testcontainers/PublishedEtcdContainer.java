package io.github.rpcdiscovery.testcontainers;

/**
 * An {@link EtcdContainer} that answers as a running container whose port 2379 is published on 127.0.0.1 at a given
 * port, and never starts: what Spring Boot's service connection sees, without a Docker engine. Behind that port
 * there may be nothing (for the factory's mapping) or a real etcd process (for the whole chain).
 */
final class PublishedEtcdContainer extends EtcdContainer {

	private final int publishedPort;

	PublishedEtcdContainer(int publishedPort) {
		this.publishedPort = publishedPort;
	}

	@Override
	public void start() {
		throw new AssertionError("this test has no Docker engine: nothing may start a container");
	}

	@Override
	public boolean isRunning() {
		return true;
	}

	@Override
	public String getDockerImageName() {
		return getEtcdImage().asCanonicalNameString();
	}

	@Override
	public String getHost() {
		return "127.0.0.1";
	}

	@Override
	public Integer getMappedPort(int originalPort) {
		if (originalPort != CLIENT_PORT) {
			throw new AssertionError("only " + CLIENT_PORT + " is published, not " + originalPort);
		}
		return this.publishedPort;
	}

}

package io.github.rpcdiscovery.test.etcd;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one etcd process before the test class and stops it after:
 * <pre>
 * &#64;RegisterExtension
 * static final EtcdExtension etcd = new EtcdExtension();
 * ... etcd.process().hostAndPort()
 * </pre>
 * A missing binary fails the class with the install command.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {

	private final String[] extraArgs;

	private EtcdProcess process;

	public EtcdExtension(String... extraArgs) {
		this.extraArgs = extraArgs;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.process = EtcdProcess.startSingle(this.extraArgs);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.process != null) {
			this.process.close();
		}
	}

	public EtcdProcess process() {
		return this.process;
	}

	/** {@code 127.0.0.1:<port>} */
	public String hostAndPort() {
		return this.process.hostAndPort();
	}

}

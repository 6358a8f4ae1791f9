package io.github.rpcdiscovery.testcontainers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.github.rpcdiscovery.autoconfigure.EtcdConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A single-member etcd in Docker, from the etcd project's own image ({@value #DEFAULT_IMAGE}, or
 * {@code gcr.io/etcd-development/etcd}), started when {@code /health} answers (on etcd's plain-HTTP metrics port,
 * so also with mutual TLS). With {@code @ServiceConnection} it is
 * the application's etcd:
 * <pre>
 * &#64;Container
 * &#64;ServiceConnection
 * static EtcdContainer etcd = new EtcdContainer();
 * </pre>
 * Optionally with an account ({@link #withAuthentication}: the user gets etcd's root role, and authentication is
 * turned on once etcd runs) and TLS ({@link #withTls}: the server certificate must name the host the tests reach
 * Docker at, usually {@code localhost}).
 */
public class EtcdContainer extends GenericContainer<EtcdContainer> {

	/** The etcd project's image. */
	public static final String DEFAULT_IMAGE = "quay.io/coreos/etcd";

	/** The etcd release used when no tag is given. */
	public static final String DEFAULT_TAG = "v3.5.21";

	/** etcd's client port inside the container. */
	public static final int CLIENT_PORT = 2379;

	/**
	 * Where etcd serves {@code /health} in plain HTTP whatever the client port asks (with mutual TLS, a health check
	 * on the client port would need a client certificate).
	 */
	static final int METRICS_PORT = 2381;

	private static final String TLS_DIR = "/etc/etcd/tls";

	private final DockerImageName image;

	private @Nullable String user;

	private @Nullable String password;

	private @Nullable Path caCertificate;

	private @Nullable Path clientCertificate;

	private @Nullable Path clientKey;

	private final List<String> extraArguments = new ArrayList<>();

	/** {@value #DEFAULT_IMAGE}:{@value #DEFAULT_TAG} */
	public EtcdContainer() {
		this(DEFAULT_TAG);
	}

	/** @param tag a tag of {@value #DEFAULT_IMAGE}, e.g. {@code v3.5.21} */
	public EtcdContainer(String tag) {
		this(DockerImageName.parse(DEFAULT_IMAGE).withTag(tag));
	}

	/**
	 * @param image {@value #DEFAULT_IMAGE}, {@code gcr.io/etcd-development/etcd}, or a mirror of them declared with
	 * {@code asCompatibleSubstituteFor("quay.io/coreos/etcd")}
	 */
	public EtcdContainer(DockerImageName image) {
		super(image);
		this.image = image;
		image.assertCompatibleWith(DockerImageName.parse(DEFAULT_IMAGE),
				DockerImageName.parse("gcr.io/etcd-development/etcd"));
		withExposedPorts(CLIENT_PORT, METRICS_PORT);
		// /health answers 200 once the member has a leader; set here so that waitingFor(...) replaces it
		waitingFor(Wait.forHttp("/health").forPort(METRICS_PORT).forStatusCode(200));
	}

	/**
	 * Adds flags to the etcd command line this container builds (client and metrics URLs, TLS), e.g.
	 * {@code withEtcdArgument("--auto-compaction-retention", "1")}. {@code withCommand(...)} instead replaces the whole
	 * command line, TLS flags included.
	 */
	public EtcdContainer withEtcdArgument(String... arguments) {
		this.extraArguments.addAll(List.of(arguments));
		return self();
	}

	/**
	 * Turns authentication on once etcd runs, with this user (granted etcd's root role) as the account the
	 * connection details carry.
	 */
	public EtcdContainer withAuthentication(String user, String password) {
		this.user = user;
		this.password = password;
		return self();
	}

	/**
	 * Serves clients over TLS only.
	 * @param serverCertificate PEM certificate of etcd, naming the host tests reach Docker at
	 * @param serverKey its PEM private key
	 * @param caCertificate the PEM CA that signed it, which clients trust
	 */
	public EtcdContainer withTls(Path serverCertificate, Path serverKey, Path caCertificate) {
		this.caCertificate = caCertificate;
		withCopyFileToContainer(MountableFile.forHostPath(serverCertificate, 0644), TLS_DIR + "/server.pem");
		withCopyFileToContainer(MountableFile.forHostPath(serverKey, 0644), TLS_DIR + "/server-key.pem");
		withCopyFileToContainer(MountableFile.forHostPath(caCertificate, 0644), TLS_DIR + "/ca.pem");
		return self();
	}

	/**
	 * Requires clients to present a certificate signed by the CA of {@link #withTls} (mutual TLS); the connection
	 * details carry this one. Without {@link #withTls} the container refuses to start.
	 */
	public EtcdContainer withClientCertificate(Path certificate, Path key) {
		this.clientCertificate = certificate;
		this.clientKey = key;
		withCopyFileToContainer(MountableFile.forHostPath(certificate, 0644), TLS_DIR + "/client.pem");
		withCopyFileToContainer(MountableFile.forHostPath(key, 0644), TLS_DIR + "/client-key.pem");
		return self();
	}

	@Override
	protected void configure() {
		if (this.clientCertificate != null && !usesTls()) {
			throw new IllegalStateException(
					"withClientCertificate needs withTls(serverCertificate, serverKey, caCertificate): mutual TLS "
							+ "is on top of TLS, and without it etcd would serve plain text");
		}
		if (getCommandParts().length > 0) {
			return; // the user's withCommand(...)
		}
		String url = scheme() + "://0.0.0.0:" + CLIENT_PORT;
		List<String> command = new ArrayList<>(List.of("etcd", "--name", "etcd", "--data-dir", "/var/lib/etcd",
				"--listen-client-urls", url, "--advertise-client-urls", url, "--listen-metrics-urls",
				"http://0.0.0.0:" + METRICS_PORT));
		if (usesTls()) {
			command.addAll(List.of("--cert-file", TLS_DIR + "/server.pem", "--key-file", TLS_DIR + "/server-key.pem"));
			if (this.clientCertificate != null) {
				command.addAll(List.of("--client-cert-auth", "--trusted-ca-file", TLS_DIR + "/ca.pem"));
			}
		}
		command.addAll(this.extraArguments);
		setCommand(command.toArray(String[]::new));
	}

	@Override
	protected void containerIsStarted(InspectContainerResponse containerInfo) {
		if (this.user == null) {
			return;
		}
		etcdctl("user", "add", "root", "--new-user-password=" + this.password, "--interactive=false");
		etcdctl("user", "grant-role", "root", "root");
		if (!this.user.equals("root")) {
			etcdctl("user", "add", this.user, "--new-user-password=" + this.password, "--interactive=false");
			etcdctl("user", "grant-role", this.user, "root");
		}
		etcdctl("auth", "enable");
	}

	private void etcdctl(String... arguments) {
		List<String> command = new ArrayList<>(
				List.of("etcdctl", "--endpoints=" + scheme() + "://127.0.0.1:" + CLIENT_PORT));
		if (usesTls()) {
			command.add("--insecure-skip-tls-verify");
			if (this.clientCertificate != null) {
				command.addAll(List.of("--cert=" + TLS_DIR + "/client.pem", "--key=" + TLS_DIR + "/client-key.pem"));
			}
		}
		command.addAll(List.of(arguments));
		try {
			ExecResult result = execInContainer(command.toArray(String[]::new));
			if (result.getExitCode() != 0) {
				// the arguments hold the password: name only the subcommand
				throw new ContainerLaunchException("etcdctl " + arguments[0] + " " + arguments[1]
						+ " failed while turning authentication on: " + result.getStderr());
			}
		}
		catch (IOException ex) {
			throw new ContainerLaunchException("Could not run etcdctl in the etcd container", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ContainerLaunchException("Interrupted while turning authentication on", ex);
		}
	}

	private boolean usesTls() {
		return this.caCertificate != null;
	}

	private String scheme() {
		return usesTls() ? "https" : "http";
	}

	/** {@code host:port} of the client port as Docker publishes it; the container must be running. */
	public String getClientHostAndPort() {
		return getHost() + ":" + getMappedPort(CLIENT_PORT);
	}

	/** {@code http://host:port} (https with TLS); the container must be running. */
	public String getClientEndpoint() {
		return scheme() + "://" + getClientHostAndPort();
	}

	/** The image this container runs, as given (resolving it, as {@link #getDockerImageName()} does, needs Docker). */
	public DockerImageName getEtcdImage() {
		return this.image;
	}

	public @Nullable String getUser() {
		return this.user;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	/** The TLS the client needs, or {@code null} without TLS. */
	public EtcdConnectionDetails.@Nullable Tls getTls() {
		if (!usesTls()) {
			return null;
		}
		return new EtcdConnectionDetails.Tls(this.caCertificate.toString(),
				(this.clientCertificate != null) ? this.clientCertificate.toString() : null,
				(this.clientKey != null) ? this.clientKey.toString() : null, false);
	}

}

package io.github.rpcdiscovery.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made by the tests themselves with {@code openssl}: a CA, an etcd server certificate for 127.0.0.1 and
 * localhost, a client certificate (PKCS#8 key, as jetcd needs) and a second, unrelated CA to play the wrong one.
 * Everything lives in a temp directory and is valid for one day.
 */
public final class TestCertificates {

	private final Path dir;

	private TestCertificates(Path dir) {
		this.dir = dir;
	}

	/**
	 * Makes a fresh set.
	 * @param clientCommonName the CN of the client certificate (etcd maps it to a user when auth is on)
	 */
	public static TestCertificates create(String clientCommonName) {
		try {
			TestCertificates certificates = new TestCertificates(Files.createTempDirectory("rpc-discovery-tls-"));
			certificates.makeCa("ca", "rpc-discovery test CA");
			certificates.makeCa("other-ca", "an unrelated CA");
			certificates.makeSigned("server", "etcd", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
					+ "extendedKeyUsage=serverAuth,clientAuth\n");
			certificates.makeSigned("client", clientCommonName, "extendedKeyUsage=clientAuth\n");
			return certificates;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void makeCa(String name, String commonName) {
		openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + ".pem",
				"-days", "1", "-subj", "/CN=" + commonName);
	}

	private void makeSigned(String name, String commonName, String extensions) throws IOException {
		Files.writeString(this.dir.resolve(name + ".ext"), extensions);
		openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj",
				"/CN=" + commonName);
		openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
				"-out", name + ".pem", "-days", "1", "-extfile", name + ".ext");
	}

	private void openssl(String... args) {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).directory(this.dir.toFile()).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new AssertionError("openssl failed: " + command + "\n" + output
						+ "\n(install it with: sudo apt-get install -y openssl)");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("openssl is needed to make test certificates"
					+ " (install it with: sudo apt-get install -y openssl)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public Path ca() {
		return this.dir.resolve("ca.pem");
	}

	public Path otherCa() {
		return this.dir.resolve("other-ca.pem");
	}

	public Path serverCert() {
		return this.dir.resolve("server.pem");
	}

	public Path serverKey() {
		return this.dir.resolve("server-key.pem");
	}

	public Path clientCert() {
		return this.dir.resolve("client.pem");
	}

	/** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), which is what jetcd accepts. */
	public Path clientKey() {
		return this.dir.resolve("client-key.pem");
	}

	/** etcd flags that serve clients over TLS with these certificates; with client-certificate auth if asked. */
	public String[] etcdServerArgs(boolean clientCertAuth) {
		List<String> args = new ArrayList<>(List.of("--cert-file=" + serverCert(), "--key-file=" + serverKey(),
				"--trusted-ca-file=" + ca()));
		if (clientCertAuth) {
			args.add("--client-cert-auth");
		}
		return args.toArray(String[]::new);
	}

	/** etcdctl flags for these certificates. */
	public String[] etcdctlArgs() {
		return new String[] { "--cacert=" + ca(), "--cert=" + clientCert(), "--key=" + clientKey() };
	}

	public void delete() {
		try (var files = Files.list(this.dir)) {
			files.forEach((file) -> file.toFile().delete());
			Files.deleteIfExists(this.dir);
		}
		catch (IOException ex) {
			// best effort: a temp dir
		}
	}

}

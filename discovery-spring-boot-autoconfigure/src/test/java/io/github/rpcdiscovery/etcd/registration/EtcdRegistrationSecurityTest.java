package io.github.rpcdiscovery.etcd.registration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.rpcdiscovery.etcd.Backoff;
import io.github.rpcdiscovery.test.etcd.EtcdCtl;
import io.github.rpcdiscovery.test.etcd.EtcdProcess;
import io.github.rpcdiscovery.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.rpcdiscovery.etcd.registration.EtcdRegistrationIntegrationTest.get;
import static io.github.rpcdiscovery.etcd.registration.EtcdRegistrationIntegrationTest.port;
import static io.github.rpcdiscovery.etcd.registration.EtcdRegistrationIntegrationTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Registration against etcd with authentication and with TLS: it works with the right settings; with wrong ones it
 * says which setting is wrong (one WARN, or a startup failure report with fail-fast) and recovers once etcd accepts
 * it; credentials appear nowhere, neither in logs, nor in exception messages, nor in actuator output.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdRegistrationSecurityTest {

	static final String ROOT_PASSWORD = "root-Pw-4711";

	static final String APP_PASSWORD = "app-Pw-0815-right";

	static final String WRONG_PASSWORD = "app-Pw-0815-typo";

	static List<String> properties(String hosts, String... more) {
		List<String> all = new ArrayList<>(List.of("spring.application.name=secure.rpc", "rpc.etcd.hosts=" + hosts,
				"rpc.listen-on=127.0.0.3", "server.address=127.0.0.3"));
		all.addAll(List.of(more));
		return all;
	}

	static void assertNoSecretIn(String text) {
		assertThat(text).doesNotContain(ROOT_PASSWORD, APP_PASSWORD, WRONG_PASSWORD);
	}

	/** etcd with auth on, a root user and an application user restricted to its own prefixes. */
	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class Authentication {

		EtcdProcess etcd;

		EtcdCtl root;

		@BeforeAll
		void startEtcdWithAuth() {
			this.etcd = EtcdProcess.startSingle("--auth-token=simple", "--auth-token-ttl=2");
			EtcdCtl anonymous = this.etcd.etcdctl();
			anonymous.run("user", "add", "root:" + ROOT_PASSWORD);
			anonymous.run("auth", "enable");
			this.root = anonymous.with("--user=root:" + ROOT_PASSWORD);
			this.root.run("role", "add", "secure-rpc");
			this.root.run("role", "grant-permission", "secure-rpc", "--prefix=true", "readwrite", "secure.rpc/");
			this.root.run("role", "grant-permission", "secure-rpc", "--prefix=true", "readwrite", "_rpc-meta/secure.rpc/");
			addAppUser(APP_PASSWORD);
		}

		void addAppUser(String password) {
			this.root.run("user", "add", "app:" + password);
			this.root.run("user", "grant-role", "app", "secure-rpc");
		}

		@AfterAll
		void stopEtcd() {
			this.etcd.close();
		}

		EtcdState state() {
			return new EtcdState(this.root);
		}

		@Test
		void aPrefixRestrictedUserRegistersAndDeregisters(CapturedOutput output) {
			ConfigurableApplicationContext app = RegistrationTestApp.start(properties(this.etcd.hostAndPort(),
					"rpc.etcd.user=app", "rpc.etcd.pass=" + APP_PASSWORD,
					"management.endpoints.web.exposure.include=env,configprops,serviceregistry,health",
					"management.endpoint.env.show-values=ALWAYS", "management.endpoint.configprops.show-values=ALWAYS"));
			try {
				int port = port(app);
				assertThat(state().entries("secure.rpc/").values()).containsExactly("127.0.0.3:" + port);
				assertThat(state().entries("_rpc-meta/secure.rpc/")).hasSize(1);
				for (String endpoint : List.of("/actuator/env", "/actuator/configprops", "/actuator/serviceregistry",
						"/actuator/health")) {
					String body = get(port, endpoint);
					assertThat(body).as(endpoint).startsWith("200");
					assertNoSecretIn(body);
				}
				assertThat(get(port, "/actuator/env")).contains("rpc.etcd.pass");
			}
			finally {
				app.close();
			}
			assertThat(state().entries("secure.rpc/")).isEmpty();
			assertThat(state().leasesHex()).isEmpty();
			assertNoSecretIn(output.getAll());
		}

		@Test
		void aWrongPasswordIsReportedOnceAndTheRegistrationRecoversWhenEtcdAcceptsIt(CapturedOutput output) {
			ConfigurableApplicationContext app = RegistrationTestApp.start(properties(this.etcd.hostAndPort(),
					"rpc.etcd.user=app", "rpc.etcd.pass=" + WRONG_PASSWORD));
			try {
				assertThat(state().entries("secure.rpc/")).isEmpty();
				// several retries go by with one WARN: etcd refuses three more authentications
				long refusedBefore = EtcdServerMetrics.handled(this.etcd, "Authenticate", false);
				await("three more refused authentications").atMost(Backoff.LEASE_RETRY_MAX.multipliedBy(3))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> EtcdServerMetrics.handled(this.etcd, "Authenticate", false) - refusedBefore >= 3);
				List<String> warnings = output.getOut()
					.lines()
					.filter((line) -> line.contains(" WARN ") && line.contains("secure.rpc"))
					.toList();
				assertThat(warnings).hasSize(1);
				assertThat(warnings.get(0)).contains("as app", "authentication failed", "rpc.etcd.user ('app')",
						"rpc.etcd.pass");

				// the operator fixes the password in etcd: the application's retries get through
				this.root.run("user", "delete", "app");
				addAppUser(WRONG_PASSWORD);
				await().atMost(Backoff.LEASE_RETRY_MAX.plusSeconds(3))
					.until(() -> List.copyOf(state().entries("secure.rpc/").values()),
							(values) -> values.equals(List.of("127.0.0.3:" + port(app))));
				// the key is visible in etcd a moment before the registration thread logs the recovery
				await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("works again after"));
			}
			finally {
				app.close();
				this.root.run("user", "delete", "app");
				addAppUser(APP_PASSWORD);
			}
			assertThat(state().entries("secure.rpc/")).isEmpty();
			assertNoSecretIn(output.getAll());
		}

		@Test
		void withFailFastAWrongPasswordStopsTheStartupWithAReport(CapturedOutput output) {
			assertThatThrownBy(() -> RegistrationTestApp.start(properties(this.etcd.hostAndPort(), "rpc.etcd.user=app",
					"rpc.etcd.pass=" + WRONG_PASSWORD, "rpc.registration.fail-fast=true")))
				.isInstanceOf(EtcdRegistrationException.class)
				.satisfies((ex) -> assertNoSecretIn(ex.getMessage()));
			assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
					"This application could not register itself in etcd", "authentication failed",
					"check rpc.etcd.user ('app') and rpc.etcd.pass");
			assertThat(state().entries("secure.rpc/")).isEmpty();
			assertNoSecretIn(output.getAll());
		}

		@Test
		void anExpiredAuthTokenIsRenewedWithoutHelp(CapturedOutput output) {
			ConfigurableApplicationContext app = RegistrationTestApp.start(properties(this.etcd.hostAndPort(),
					"rpc.etcd.user=app", "rpc.etcd.pass=" + APP_PASSWORD,
					"management.endpoints.web.exposure.include=serviceregistry"));
			try {
				int port = port(app);
				assertThat(post(port, "/actuator/serviceregistry", "{\"status\":\"OUT_OF_SERVICE\"}")).startsWith("200");
				assertThat(state().entries("secure.rpc/")).isEmpty();
				// nothing talks to etcd now, and nothing is registered while the 2 s token expires
				long authenticated = EtcdServerMetrics.handled(this.etcd, "Authenticate", true);
				await("out of service while the token expires").during(Duration.ofSeconds(4))
					.atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> state().entries("secure.rpc/").isEmpty()
							&& !output.getOut().contains("Cannot keep secure.rpc"));
				assertThat(post(port, "/actuator/serviceregistry", "{\"status\":\"UP\"}")).startsWith("200");
				assertThat(state().entries("secure.rpc/").values()).containsExactly("127.0.0.3:" + port);
				// the token had expired: the client authenticated again, on its own
				assertThat(EtcdServerMetrics.handled(this.etcd, "Authenticate", true)).isGreaterThan(authenticated);
				assertThat(output.getOut()).doesNotContain("Cannot keep secure.rpc");
			}
			finally {
				app.close();
			}
		}

		@Test
		void anEtcdRestartInvalidatesEveryTokenAndTheRegistrationCarriesOn(CapturedOutput output) {
			ConfigurableApplicationContext app = RegistrationTestApp.start(properties(this.etcd.hostAndPort(),
					"rpc.etcd.user=app", "rpc.etcd.pass=" + APP_PASSWORD, "rpc.etcd.ttl=3",
					"rpc.etcd.request-timeout=1s"));
			try {
				String key = state().entries("secure.rpc/").keySet().iterator().next();
				this.etcd.kill();
				this.etcd.start();
				// simple tokens live in etcd's memory only: every token the client holds is now invalid
				await().during(Duration.ofSeconds(7))
					.atMost(Duration.ofSeconds(12))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> state().entries("secure.rpc/").keySet(), (keys) -> keys.equals(java.util.Set.of(key)));
				assertThat(state().leasesHex()).hasSize(1);
			}
			finally {
				app.close();
			}
			assertNoSecretIn(output.getAll());
		}

	}

	/** etcd serving clients over TLS, optionally asking for client certificates. */
	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class Tls {

		TestCertificates certificates;

		EtcdProcess etcd;

		EtcdCtl etcdctl;

		@BeforeAll
		void startEtcdWithMutualTls() {
			this.certificates = TestCertificates.create("secure-client");
			this.etcd = EtcdProcess.create(this.certificates.etcdServerArgs(true)).withTlsClientUrls();
			this.etcd.start();
			this.etcdctl = new EtcdCtl(this.etcd.clientUrl()).with(this.certificates.etcdctlArgs());
		}

		@AfterAll
		void stopEtcd() {
			this.etcd.close();
			this.certificates.delete();
		}

		String tls(String setting, Object value) {
			return "rpc.etcd." + setting + "=" + value;
		}

		@Test
		void mutualTlsRegistersAndDeregisters() {
			assertRegistersAndDeregisters(tls("ca-cert-file", this.certificates.ca()));
		}

		@Test
		void insecureSkipVerifyStillPresentsTheClientCertificate() {
			assertRegistersAndDeregisters(tls("insecure-skip-verify", true));
		}

		private void assertRegistersAndDeregisters(String trust) {
			EtcdState state = new EtcdState(this.etcdctl);
			ConfigurableApplicationContext app = RegistrationTestApp.start(properties(this.etcd.hostAndPort(), trust,
					tls("cert-file", this.certificates.clientCert()), tls("cert-key-file", this.certificates.clientKey())));
			try {
				assertThat(state.entries("secure.rpc/").values()).containsExactly("127.0.0.3:" + port(app));
			}
			finally {
				app.close();
			}
			assertThat(state.entries("secure.rpc/")).isEmpty();
		}

		@Test
		void aWrongCaIsNamedInOneWarning(CapturedOutput output) {
			try (ConfigurableApplicationContext app = RegistrationTestApp.start(properties(this.etcd.hostAndPort(),
					tls("ca-cert-file", this.certificates.otherCa()), tls("cert-file", this.certificates.clientCert()),
					tls("cert-key-file", this.certificates.clientKey())))) {
				assertThat(new EtcdState(this.etcdctl).entries("secure.rpc/")).isEmpty();
				assertThat(output.getOut()).contains("TLS handshake with 127.0.0.1:" + this.etcd.clientPort()
						+ " failed: etcd's certificate is not signed by a CA this application trusts (rpc.etcd.ca-cert-file="
						+ this.certificates.otherCa());
				// the retries go on (each one a failed handshake) without a second warning
				await("one warning however many handshakes fail").during(Duration.ofSeconds(3))
					.atMost(Duration.ofSeconds(4))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> output.getOut().lines().filter((line) -> line.contains("Cannot keep secure.rpc")).count(),
							(count) -> count == 1);
			}
		}

		@Test
		void aMissingClientCertificateIsNamedWhenFailingFast(CapturedOutput output) {
			assertThatThrownBy(() -> RegistrationTestApp.start(properties(this.etcd.hostAndPort(),
					tls("ca-cert-file", this.certificates.ca()), "rpc.registration.fail-fast=true")))
				.isInstanceOf(EtcdRegistrationException.class);
			assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
					"it probably requires a client certificate (--client-cert-auth) and none is configured; set"
							+ " rpc.etcd.cert-file and rpc.etcd.cert-key-file",
					"check rpc.etcd.ca-cert-file, cert-file");
		}

		@Test
		void plainTextToATlsEtcdIsNamed(CapturedOutput output) {
			try (ConfigurableApplicationContext app = RegistrationTestApp.start(properties(this.etcd.hostAndPort()))) {
				assertThat(output.getOut()).contains("serves TLS but this application connects without it: set"
						+ " rpc.etcd.ca-cert-file");
			}
		}

		@Test
		void unreadableTlsFilesStopTheStartupWithAReport(CapturedOutput output) {
			assertThatThrownBy(() -> RegistrationTestApp.start(properties(this.etcd.hostAndPort(),
					tls("ca-cert-file", "/nonexistent/ca.pem"))))
				.hasMessageContaining("rpc.etcd.ca-cert-file /nonexistent/ca.pem does not exist");
			assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "The etcd TLS settings cannot be used",
					"rpc.etcd.ca-cert-file /nonexistent/ca.pem does not exist");
		}

	}

}

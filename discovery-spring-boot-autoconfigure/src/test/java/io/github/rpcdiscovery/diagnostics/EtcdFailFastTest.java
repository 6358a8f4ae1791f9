package io.github.rpcdiscovery.diagnostics;

import java.time.Duration;

import io.github.rpcdiscovery.etcd.EtcdFailure;
import io.github.rpcdiscovery.etcd.EtcdStartupException;
import io.github.rpcdiscovery.test.net.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@code rpc.etcd.fail-fast}: with it, an etcd nobody listens for (a free loopback port) stops the startup with a
 * report naming the hosts, the property and the fix; without it, the application starts and says once that it keeps
 * retrying.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdFailFastTest {

	@Test
	void anUnreachableEtcdStopsTheStartupWithAReportNamingTheProperty(CapturedOutput output) {
		String hosts = "127.0.0.1:" + FreePorts.next();
		Throwable failure = catchThrowable(
				() -> run("--rpc.etcd.hosts=" + hosts, "--rpc.etcd.fail-fast=true", "--rpc.etcd.pass=s3cr3t-pass",
						"--rpc.etcd.user=app")
					.close());
		FailureAnalysis analysis = new EtcdStartupFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		assertThat(((EtcdStartupException) analysis.getCause()).getFailure().kind())
			.isEqualTo(EtcdFailure.Kind.UNREACHABLE);
		assertThat(analysis.getDescription()).contains(hosts, "could not be reached", "rpc.etcd.fail-fast is true");
		assertThat(analysis.getAction()).contains("rpc.etcd.hosts", "rpc.etcd.fail-fast=false");
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cr3t-pass");
		// the analyzer is registered: Spring Boot printed its report
		assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START",
				"rpc.etcd.fail-fast is true");
		assertThat(output.getAll()).doesNotContain("s3cr3t-pass");
	}

	@Test
	void aConfiguredServiceThatCannotBeLoadedIsNamed() {
		String hosts = "127.0.0.1:" + FreePorts.next();
		Throwable failure = catchThrowable(() -> run("--rpc.etcd.hosts=" + hosts, "--rpc.etcd.fail-fast=true",
				"--rpc.clients[0].etcd.key=order.rpc").close());
		FailureAnalysis analysis = new EtcdStartupFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		assertThat(((EtcdStartupException) analysis.getCause()).getServiceIds()).containsExactly("order.rpc");
		assertThat(analysis.getDescription()).contains(hosts, "did not deliver the instances of order.rpc within 1000ms",
				"rpc.etcd.fail-fast");
	}

	@Test
	void withoutFailFastTheApplicationStartsAndSaysOnceThatItKeepsRetrying(CapturedOutput output) {
		String hosts = "127.0.0.1:" + FreePorts.next();
		try (ConfigurableApplicationContext context = run("--rpc.etcd.hosts=" + hosts,
				"--rpc.clients[0].etcd.key=order.rpc")) {
			assertThat(context.isActive()).isTrue();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut().contains("retrying in the background (rpc.etcd.fail-fast=true fails"));
			assertThat(output.getOut().lines().filter((line) -> line.contains(" WARN ") && line.contains(hosts)))
				.hasSize(1);
		}
	}

	private static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] all = new String[args.length + 3];
		all[0] = "--rpc.registration.enabled=false";
		all[1] = "--rpc.discovery.initial-load-timeout=1s";
		all[2] = "--spring.cloud.loadbalancer.enabled=false";
		System.arraycopy(args, 0, all, 3, args.length);
		return application.run(all);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}

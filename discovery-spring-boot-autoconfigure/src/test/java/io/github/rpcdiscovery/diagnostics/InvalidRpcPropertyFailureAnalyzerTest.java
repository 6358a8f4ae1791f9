package io.github.rpcdiscovery.diagnostics;

import io.github.rpcdiscovery.config.InvalidRpcPropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Starts a real application with each bad value; the analyzer's report names the property, the value and the fix. */
class InvalidRpcPropertyFailureAnalyzerTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "--rpc.name=a;--rpc.endpoints=127.0.0.1|rpc.endpoints[0]|127.0.0.1|has no port",
			"--rpc.name=a;--rpc.endpoints=127.0.0.1:0|rpc.endpoints[0]|127.0.0.1:0|out of range",
			"--rpc.name=a;--rpc.endpoints=:8080|rpc.endpoints[0]|:8080|host is empty",
			"--rpc.target=zk://127.0.0.1/a|rpc.target|zk://127.0.0.1/a|not supported",
			"--rpc.target=k8s://ns/|rpc.target|k8s://ns/|names no service",
			"--rpc.target=k8s://ns/svc:http|rpc.target|k8s://ns/svc:http|not a number",
			"--rpc.etcd.key=user.rpc|rpc.etcd.hosts|[]|no etcd host",
			"--rpc.etcd.hosts=127.0.0.1:2379,|rpc.etcd.hosts[1]||blank entry",
			"--rpc.etcd.hosts=127.0.0.1:2379;--rpc.etcd.ttl=1s|rpc.etcd.ttl|1s|at least 2s",
			"--rpc.etcd.hosts=127.0.0.1:2379;--rpc.etcd.cert-file=/c.pem|rpc.etcd.cert-key-file||private key is not" })
	void reportsPropertyValueProblemAndFix(String args, String property, String value, String problem) {
		Throwable failure = catchThrowable(() -> start(args.split(";")));
		FailureAnalysis analysis = analyze(failure);
		assertThat(analysis.getDescription()).contains("Property: " + property)
			.contains("Value: '" + ((value != null) ? value : "") + "'")
			.contains(problem);
		assertThat(analysis.getAction()).startsWith("Fix " + property + ":");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			// a bare number binds as milliseconds: every etcd call would time out
			"--rpc.etcd.request-timeout=5|5ms|below 100ms|write 5s, not 5",
			"--rpc.etcd.request-timeout=0|0s|below 100ms|100ms or more",
			// a grant then a write that may take this long can outlive the lease
			"--rpc.etcd.request-timeout=5s|5s|half of rpc.etcd.ttl (10s)|raise rpc.etcd.ttl",
			"--rpc.etcd.ttl=4s;--rpc.etcd.request-timeout=3s|3s|half of rpc.etcd.ttl (4s)|below 2s" })
	void aRequestTimeoutThatCannotWorkIsReportedWithItsFix(String args, String value, String problem, String fix) {
		Throwable failure = catchThrowable(() -> start(args.split(";")));
		FailureAnalysis analysis = analyze(failure);
		assertThat(analysis.getDescription()).contains("Property: rpc.etcd.request-timeout")
			.contains("Value: '" + value + "'")
			.contains(problem);
		assertThat(analysis.getAction()).startsWith("Fix rpc.etcd.request-timeout:").contains(fix);
	}

	@Test
	void passwordsNeverReachTheReport() {
		Throwable failure = catchThrowable(() -> start("--rpc.etcd.hosts=127.0.0.1:2379", "--rpc.etcd.pass=s3cr3t",
				"--rpc.etcd.ttl=1"));
		FailureAnalysis analysis = analyze(failure);
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cr3t");
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new InvalidRpcPropertyFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		assertThat(analysis.getCause()).isInstanceOf(InvalidRpcPropertyException.class);
		return analysis;
	}

	private static void start(String... args) {
		SpringApplication application = new SpringApplication(EmptyApp.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args).close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class EmptyApp {

	}

}

package io.github.rpcdiscovery.etcd.registration;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.rpcdiscovery.etcd.registration.RegistrationAddressResolver.Resolved;
import io.github.rpcdiscovery.target.HostAndPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The container-address check with the container evidence injected: an address only this container can reach,
 * found automatically in a container, stops the startup with a report saying what to set; set on purpose, or outside a
 * container, it is registered.
 */
@ExtendWith(OutputCaptureExtension.class)
class ContainerAddressCheckTest {

	private static final Resolved FOUND_LOOPBACK = new Resolved(new HostAndPort("127.0.0.1", 8080), "InetUtils");

	private static final Resolved FROM_POD_IP = new Resolved(new HostAndPort("127.0.0.2", 8080), "POD_IP");

	private static final Resolved CONFIGURED_LOOPBACK = new Resolved(new HostAndPort("127.0.0.3", 8080),
			RegistrationAddressResolver.PROPERTY);

	@Test
	void anAutomaticallyFoundContainerLocalAddressInAContainerIsRefusedWithAReport() {
		ContainerAddressCheck check = new ContainerAddressCheck(detector(Set.of("/.dockerenv"), Map.of(), null));
		ContainerAddressException failure = catchThrowableOfType(ContainerAddressException.class,
				() -> check.check(FOUND_LOOPBACK));
		assertThat(failure).isNotNull();
		assertThat(failure.getMessage()).contains("127.0.0.1:8080", "InetUtils", "loopback", "/.dockerenv exists");

		FailureAnalysis analysis = analyze(failure);
		assertThat(analysis.getDescription()).contains("Address: 127.0.0.1:8080 (found by InetUtils)",
				"Network: loopback", "Container: /.dockerenv exists");
		assertThat(analysis.getAction()).contains("rpc.listen-on", "POD_IP", "status.podIP");
	}

	@Test
	void aLoopbackPodIpInKubernetesIsRegisteredAsGivenWithAWarning(CapturedOutput output) {
		ContainerAddressCheck check = new ContainerAddressCheck(
				detector(Set.of(), Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.9"), null));
		assertThatNoException().isThrownBy(() -> check.check(FROM_POD_IP));
		assertThat(output.getAll()).containsOnlyOnce("127.0.0.2:8080").contains("WARN", "POD_IP", "loopback");
	}

	@Test
	void aLoopbackListenOnSetOnPurposeIsRegisteredWithoutAWord(CapturedOutput output) {
		ContainerAddressCheck check = new ContainerAddressCheck(detector(Set.of("/.dockerenv"), Map.of(), null));
		assertThatNoException().isThrownBy(() -> check.check(CONFIGURED_LOOPBACK));
		assertThat(output.getAll()).doesNotContain("127.0.0.3");
	}

	@Test
	void aPodIpInAnOrdinaryPodRangeIsRegisteredAsGiven(CapturedOutput output) {
		ContainerAddressCheck check = new ContainerAddressCheck(
				detector(Set.of(), Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.9"), "0::/kubepods/pod42\n"));
		for (String podIp : new String[] { "172.17.0.5", "10.88.0.7" }) {
			assertThatNoException().as(podIp)
				.isThrownBy(() -> check.check(new Resolved(new HostAndPort(podIp, 8080), "POD_IP")));
		}
		assertThat(output.getAll()).doesNotContain("172.17.0.5").doesNotContain("10.88.0.7");
	}

	@Test
	void aListenOnInABridgeRangeIsRegisteredAsGivenWithoutAWord(CapturedOutput output) {
		ContainerAddressCheck check = new ContainerAddressCheck(detector(Set.of("/.dockerenv"), Map.of(), null));
		assertThatNoException().isThrownBy(() -> check
			.check(new Resolved(new HostAndPort("172.17.0.6", 8080), RegistrationAddressResolver.PROPERTY)));
		assertThat(output.getAll()).doesNotContain("172.17.0.6");
	}

	@Test
	void aDetectedBridgeAddressInAContainerIsRegisteredWithOneWarning(CapturedOutput output) {
		ContainerAddressCheck check = new ContainerAddressCheck(detector(Set.of("/.dockerenv"), Map.of(), null));
		assertThatNoException()
			.isThrownBy(() -> check.check(new Resolved(new HostAndPort("172.17.0.8", 8080), "InetUtils")));
		assertThat(output.getAll()).containsOnlyOnce("172.17.0.8:8080")
			.contains("WARN", "rpc.listen-on", "rpc.registration.container-address-check=false");
	}

	@Test
	void theCheckCanBeTurnedOff(CapturedOutput output) {
		ContainerAddressCheck check = ContainerAddressCheck.disabled();
		assertThatNoException().isThrownBy(() -> check.check(FOUND_LOOPBACK));
		assertThatNoException()
			.isThrownBy(() -> check.check(new Resolved(new HostAndPort("172.17.0.8", 8080), "InetUtils")));
		assertThat(output.getAll()).doesNotContain("172.17.0.8");
	}

	@Test
	void outsideAContainerNothingIsChecked() {
		ContainerAddressCheck check = new ContainerAddressCheck(detector(Set.of(), Map.of(), "0::/user.slice\n"));
		assertThatNoException().isThrownBy(() -> check.check(FOUND_LOOPBACK));
	}

	@Test
	void theContainerIsRecognisedByItsMarkersItsCgroupOrKubernetes() {
		assertThat(detector(Set.of("/run/.containerenv"), Map.of(), null).evidence())
			.isEqualTo("/run/.containerenv exists");
		assertThat(detector(Set.of(), Map.of(), "12:cpu:/docker/0123abcd\n").evidence())
			.isEqualTo("/proc/1/cgroup names docker");
		assertThat(detector(Set.of(), Map.of(), "0::/kubepods/burstable/pod42\n").evidence())
			.isEqualTo("/proc/1/cgroup names kubepods");
		assertThat(detector(Set.of(), Map.of("KUBERNETES_SERVICE_HOST", " "), "0::/\n").evidence()).isNull();
	}

	@Test
	void onlyLoopbackAndDefaultBridgeTextsAreContainerLocal() {
		assertThat(ContainerLocalAddress.kind("127.0.0.5")).isEqualTo("loopback");
		assertThat(ContainerLocalAddress.kind("[::1]")).isEqualTo("loopback");
		assertThat(ContainerLocalAddress.kind("localhost")).isEqualTo("loopback");
		// names are never resolved, and malformed texts are not addresses
		assertThat(ContainerLocalAddress.kind("user.rpc.internal")).isNull();
		assertThat(ContainerLocalAddress.kind("127.0.0.256")).isNull();
		assertThat(ContainerLocalAddress.kind("127.0.0")).isNull();
	}

	/** Through the analyzers Spring Boot loads: proves the analyzer is registered, too. */
	private static FailureAnalysis analyze(Throwable failure) {
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, null, (type, name, ex) -> {
			});
		FailureAnalysis analysis = analyzers.stream()
			.filter((analyzer) -> analyzer.getClass().getSimpleName().equals("ContainerAddressFailureAnalyzer"))
			.map((analyzer) -> analyzer.analyze(failure))
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
		assertThat(analysis).as("the container address analysis").isNotNull();
		return analysis;
	}

	private static ContainerDetector detector(Set<String> files, Map<String, String> env, String cgroup) {
		return new ContainerDetector((path) -> files.contains(path.toString()),
				(path) -> path.equals(Path.of("/proc/1/cgroup")) ? cgroup : null, env::get);
	}

}

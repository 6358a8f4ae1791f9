package io.github.rpcdiscovery.loadbalancer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** A routing property that cannot work stops startup naming the property, the value and the fix. */
@ExtendWith(OutputCaptureExtension.class)
class BadRoutingPropertyTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "rpc.balancer.zone.latency-ratio|0.5|set 1 or more",
			"rpc.balancer.zone.max-failure-rate|1.5|set e.g. 0.5",
			"rpc.balancer.zone.overprovisioning|0.9|set 1 or more",
			"rpc.balancer.zone.probe-interval|0s|set a positive duration",
			"rpc.balancer.zone.latency-margin|-1ms|set 0 or more",
			"rpc.balancer.subset.fallback|random|set all (the default) or fail",
			"rpc.clients[0].canary.percent|120|set e.g. 5" })
	void aBadValueStopsStartupWithTheFix(String property, String value, String fix, CapturedOutput output) {
		SpringApplication application = new SpringApplication(LoadBalancedCalls.ClientApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--rpc.clients[0].name=a",
				"--rpc.clients[0].endpoints=127.0.0.1:8081", "--rpc.clients[0].canary.version=v2",
				"--" + property + "=" + value));
		assertThat(output).contains("APPLICATION FAILED TO START").contains(property).contains(fix);
	}

}

package io.github.rpcdiscovery.loadbalancer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** An unknown policy stops startup with a message naming the property, the value and the valid values. */
@ExtendWith(OutputCaptureExtension.class)
class BadLoadBalancerPropertyTest {

	@Test
	void anUnknownPolicyStopsStartupWithTheFix(CapturedOutput output) {
		SpringApplication application = new SpringApplication(LoadBalancedCalls.ClientApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--rpc.clients[0].name=a",
				"--rpc.clients[0].endpoints=127.0.0.1:8081", "--rpc.clients[0].load-balancer=fastest"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("rpc.clients[0].load-balancer")
			.contains("\"fastest\"")
			.contains("ROUND_ROBIN");
	}

}

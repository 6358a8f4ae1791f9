package io.github.rpcdiscovery.autoconfigure;

import java.time.Duration;

import io.github.rpcdiscovery.shutdown.DrainBeforeServerShutdown;
import io.github.rpcdiscovery.shutdown.DrainCoordinator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ShutdownAutoConfiguration.class))
		.withPropertyValues("rpc.listen-on=127.0.0.1");

	@Test
	void drainsForOneSecondByDefaultInThePhaseJustBeforeTheWebServersGracefulShutdown() {
		this.runner.run((context) -> {
			assertThat(context.getBean(DrainCoordinator.class).drain()).isEqualTo(Duration.ofSeconds(1));
			assertThat(context.getBean(DrainBeforeServerShutdown.class).getPhase())
				.isEqualTo(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1);
			assertThat(context).doesNotHaveBean("rpcKubernetesWithdrawal");
		});
	}

	@Test
	void theDrainIsConfigurable() {
		this.runner.withPropertyValues("rpc.shutdown.drain=250ms")
			.run((context) -> assertThat(context.getBean(DrainCoordinator.class).drain())
				.isEqualTo(Duration.ofMillis(250)));
	}

}

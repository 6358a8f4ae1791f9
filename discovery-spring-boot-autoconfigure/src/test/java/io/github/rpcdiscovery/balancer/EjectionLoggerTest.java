package io.github.rpcdiscovery.balancer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** An outage logs one WARN when it starts and one INFO when it ends, however many probes fail in between. */
@ExtendWith(OutputCaptureExtension.class)
class EjectionLoggerTest {

	private long now = 5_000_000_000L;

	@Test
	void oneWarnWhenAnOutageStartsOneInfoWhenItEnds(CapturedOutput output) {
		NodeTable table = new NodeTable(BalancerSettings.defaults(), () -> this.now, new EjectionLogger("user.rpc"));
		NodeStats node = table.node("127.0.0.1:8080");
		for (int probe = 0; probe < 4; probe++) {
			call(node, Outcome.CONNECT_FAILURE);
			this.now += 20_000_000_000L; // past any back-off
		}
		call(node, Outcome.SUCCESS);
		String log = output.getOut();
		assertThat(log.lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("Instance 127.0.0.1:8080 of 'user.rpc' gets no calls for 1s: its connection was refused");
		assertThat(log.lines().filter((line) -> line.contains(" INFO "))).singleElement()
			.asString()
			.contains("Instance 127.0.0.1:8080 of 'user.rpc' answers again after 80s and gets calls again");
	}

	private void call(NodeStats node, Outcome outcome) {
		node.callStarted();
		node.callCompleted(this.now, this.now + 1_000_000, outcome);
	}

}
